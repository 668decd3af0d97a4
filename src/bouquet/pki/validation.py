"""Client-certificate validation: dates, chain to the operator's trust store, revocation, RGS level.

``validate_certificate`` is the contract used by the TLS edge; its result codes are stable.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from asgiref.sync import async_to_sync
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    InvalidCertificateError,
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
from bouquet.pki.trust import TrustMaterial, trust_material
from bouquet.pki.x509 import ParsedCertificate, parse_certificate, rgs_rank

__all__ = ["CODES", "ValidationResult", "validate_certificate"]

CODES = (
    "ok",
    "expired",
    "not_yet_valid",
    "revoked",
    "untrusted",
    "rgs_required",
    "malformed",
    "no_revocation_info",
)

UNTRUSTED = "Votre certificat n'a pas été émis par une autorité de certification reconnue par la plateforme."
NO_REVOCATION_INFO = (
    "Impossible de vérifier que votre certificat n'est pas révoqué : la liste de révocation "
    "de son autorité est absente ou périmée. Prévenez l'équipe de l'opérateur."
)
CHAIN_NOT_VALID = (
    "Un certificat de la chaîne de votre autorité de certification n'est pas en cours de validité."
)
BAD_USAGE = "Votre certificat ne permet pas l'authentification d'un utilisateur (usage de clé)."

# The leaf must have fresh revocation data (a CRL, or OCSP when fetching is allowed); CAs of the
# curated trust store are checked when they declare a CRL or OCSP, without failing if unreachable.
REVOCATION_POLICY = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
    )
)


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of a validation.

    :ivar ok: the certificate may be used.
    :ivar reason: French message for the user when not ok ("" when ok).
    :ivar code: one of ``CODES``.
    :ivar rgs_level: "", "RGS*", "RGS**" or "RGS***" (from the editable policy table).
    :ivar fingerprint_sha256: lowercase hex SHA-256 of the DER ("" when malformed).
    """

    ok: bool
    reason: str
    code: str
    rgs_level: str
    fingerprint_sha256: str


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def validate_certificate(
    der: bytes, *, required_rgs: str = "", moment: datetime | None = None, intermediates: Sequence[bytes] = ()
) -> ValidationResult:
    """Validate a client certificate (DER, PEM also accepted) at ``moment`` (default: now).

    Checks, in order: readability, validity dates, chain to an active ``TrustedCA``, revocation
    (CRLs from the cache and ``PKI_CRL_DIR``), key usage, then the required RGS level.
    """
    try:
        cert = parse_certificate(der)
    except CertificateError as exc:
        return ValidationResult(False, str(exc), "malformed", "", "")
    material = trust_material()
    level = cert.rgs_level(material.rgs_table)
    at = moment or timezone.now()

    def fail(code: str, reason: str) -> ValidationResult:
        return ValidationResult(False, reason, code, level, cert.fingerprint_sha256)

    if at < cert.not_before:
        start = _day(cert.not_before)
        return fail("not_yet_valid", f"Votre certificat ne sera valide qu'à partir du {start}.")
    if at > cert.not_after:
        return fail("expired", f"Votre certificat a expiré le {_day(cert.not_after)}.")
    problem = _check_path(cert, material, moment, intermediates)
    if problem is not None:
        return fail(*problem)
    if required_rgs and rgs_rank(level) < rgs_rank(required_rgs):
        current = f"de niveau {level}" if level else "sans niveau RGS reconnu"
        return fail(
            "rgs_required",
            f"Ce service exige un certificat de niveau {required_rgs} au moins ; le vôtre est {current}.",
        )
    return ValidationResult(True, "", "ok", level, cert.fingerprint_sha256)


def _context(material: TrustMaterial, moment: datetime | None) -> ValidationContext:
    fetching = bool(settings.PKI_ALLOW_FETCHING)
    extra = {}
    if fetching:
        # The requests backend: the aiohttp one leaks client sessions in sync code.
        from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

        extra["fetcher_backend"] = RequestsFetcherBackend()
    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in material.roots],
        other_certs=[asn1_x509.Certificate.load(der) for der in material.intermediates],
        crls=list(material.crls),
        allow_fetching=fetching,
        revinfo_policy=REVOCATION_POLICY,
        moment=moment,
        **extra,
    )


def _check_path(
    cert: ParsedCertificate, material: TrustMaterial, moment: datetime | None, intermediates: Sequence[bytes]
) -> tuple[str, str] | None:
    """None when the path validates; otherwise (code, French reason)."""
    untrusted = UNTRUSTED
    if not material.roots:
        return "untrusted", untrusted
    validator = CertificateValidator(
        asn1_x509.Certificate.load(cert.der),
        intermediate_certs=[_asn1(data) for data in intermediates],
        validation_context=_context(material, moment),
    )
    try:
        async_to_sync(validator.async_validate_usage)(
            {"digital_signature"}, extended_key_usage={"client_auth"}, extended_optional=True
        )
    except RevokedError as exc:
        when = _day(exc.revocation_dt)
        return "revoked", f"Votre certificat a été révoqué par son autorité de certification le {when}."
    except InsufficientRevinfoError:
        return "no_revocation_info", NO_REVOCATION_INFO
    except (ExpiredError, NotYetValidError):
        return "untrusted", CHAIN_NOT_VALID
    except PathBuildingError:
        return "untrusted", untrusted
    except InvalidCertificateError:
        return "untrusted", BAD_USAGE
    except (PathValidationError, ValidationError):
        return "untrusted", untrusted
    return None


def _asn1(data: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(parse_certificate(data).der)
