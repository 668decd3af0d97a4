"""Validation of a PES signer's certificate: chain to the operator's trust store at the signing time.

Like S²LOW (OpenSSL against the RGS CA directory), a missing or expired CRL does not refuse the
signature; a revocation that the CRLs at hand show does. The result is the PES library's
``SignerValidator`` contract: ``(ok, French message)``.
"""

from datetime import datetime

from asgiref.sync import async_to_sync
from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
    ValidationError,
)
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from bouquet.pki.errors import CertificateError
from bouquet.pki.trust import trust_material
from bouquet.pki.x509 import parse_certificate

__all__ = ["validate_signer"]

# The signer's revocation is looked up in the CRLs at hand; none covering it is tolerated below.
_SOFT = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
    )
)
UNKNOWN = (
    "Le certificat du signataire n'a pas été émis par une autorité de certification reconnue par la "
    "plateforme (RGS) : la signature ne peut pas être acceptée."
)


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def validate_signer(der: bytes, signing_time: datetime | None) -> tuple[bool, str]:
    """Whether the signer's certificate chained to a trusted CA and was valid at ``signing_time``."""
    try:
        cert = parse_certificate(der)
    except CertificateError as exc:
        return False, f"Certificat du signataire illisible : {exc}"
    moment = signing_time or timezone.now()
    who = cert.common_name or cert.subject
    if moment < cert.not_before:
        return False, f"Le certificat de {who} n'était pas encore valide à la date de signature."
    if moment > cert.not_after:
        return False, (
            f"Le certificat de {who} avait expiré le {_day(cert.not_after)}, avant la date de signature "
            f"({_day(moment)})."
        )
    material = trust_material()
    if not material.roots:
        return False, UNKNOWN
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(d) for d in material.roots],
        other_certs=[asn1_x509.Certificate.load(d) for d in material.intermediates],
        crls=list(material.crls),
        allow_fetching=False,
        revinfo_policy=_SOFT,
        moment=moment,
    )
    validator = CertificateValidator(asn1_x509.Certificate.load(cert.der), validation_context=context)
    try:
        async_to_sync(validator.async_validate_path)()
    except RevokedError as exc:
        return False, f"Le certificat de {who} a été révoqué le {_day(exc.revocation_dt)}."
    except (ExpiredError, NotYetValidError):
        return False, f"Un certificat de la chaîne de {who} n'était pas valide à la date de signature."
    except InsufficientRevinfoError:
        return True, f"Certificat de {who} reconnu (révocation non vérifiable : liste absente)."
    except (PathBuildingError, PathValidationError, ValidationError):
        return False, UNKNOWN
    return True, f"Certificat de {who} reconnu, valide à la date de signature."
