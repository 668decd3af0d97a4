"""Verification of the electronic signatures found in opened bids (arrêté ECOM1830224A).

PAdES (signatures inside a PDF) and CAdES (``.p7s`` detached from the file it signs, or ``.p7m``
enveloping it) are verified with pyHanko; XAdES (a ``ds:Signature`` in an XML file) with the
project's python-xmlsec verifier (``bouquet.helios.pes.signatures``). The signer's certificate is
validated against the operator's trust store (``bouquet.pki.trust``) at the signing time, with
revocation data when available. Results are plain dictionaries stored with the file
(``DepositFile.signature``) and shown to the buyer.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from datetime import datetime

from asgiref.sync import async_to_sync
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError, ValidationError
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from bouquet.pki.trust import TrustMaterial, trust_material

__all__ = ["SignatureVerdict", "verify_document"]

DETACHED_MISSING = "Signature détachée : le fichier signé (même nom sans .p7s) est absent du pli."
# The signer's certificate needs revocation data; a CA's is checked when it declares some.
_REVOCATION = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
    ),
    retroactive_revinfo=True,
)


@dataclass(frozen=True)
class SignatureVerdict:
    """One signature of a document.

    :ivar format: ``PAdES``, ``CAdES`` or ``XAdES``.
    :ivar signer: the signer's common name (or full subject).
    :ivar intact: the signed content was not modified since it was signed.
    :ivar trusted: the certificate chains to the trust store, was valid and not revoked at
        ``signing_time``.
    :ivar summary: a French sentence for the buyer.
    """

    format: str
    signer: str
    certificate_subject: str
    certificate_issuer: str
    certificate_serial: str
    not_before: str
    not_after: str
    signing_time: str
    intact: bool
    trusted: bool
    summary: str

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted


def _context(material: TrustMaterial, moment: datetime | None) -> ValidationContext:
    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in material.roots],
        other_certs=[asn1_x509.Certificate.load(der) for der in material.intermediates],
        crls=list(material.crls),
        allow_fetching=False,
        revinfo_policy=_REVOCATION,
        moment=moment,
    )


def _certificate_fields(cert: asn1_x509.Certificate) -> dict:
    subject = cert.subject.native
    return {
        "signer": subject.get("common_name") or cert.subject.human_friendly,
        "certificate_subject": cert.subject.human_friendly,
        "certificate_issuer": cert.issuer.human_friendly,
        "certificate_serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before.isoformat(),
        "not_after": cert.not_valid_after.isoformat(),
    }


def _trust(cert: asn1_x509.Certificate, material: TrustMaterial, moment: datetime | None) -> tuple[bool, str]:
    """Chain, dates and revocation of ``cert`` at ``moment``: (trusted, French reason)."""
    if not material.roots:
        return False, "aucune autorité de certification n'est reconnue par la plateforme"
    validator = CertificateValidator(cert, validation_context=_context(material, moment))
    try:
        async_to_sync(validator.async_validate_usage)(set())
    except RevokedError:
        return False, "le certificat était révoqué à la date de signature"
    except PathBuildingError:
        return False, "le certificat n'est pas émis par une autorité reconnue par la plateforme"
    except (PathValidationError, ValidationError) as exc:
        message = str(exc).lower()
        if "revocation" in message or "crl" in message:
            return False, "la révocation du certificat n'a pas pu être vérifiée (liste de révocation absente)"
        if "expired" in message or "not valid" in message or "validity" in message:
            return False, "le certificat n'était pas en cours de validité à la date de signature"
        return False, "la chaîne de certification n'a pas pu être validée"
    return True, "certificat reconnu, valide et non révoqué à la date de signature"


def _verdict(
    fmt: str, cert, moment: datetime | None, intact: bool, material: TrustMaterial
) -> SignatureVerdict:
    trusted, reason = _trust(cert, material, moment) if cert is not None else (False, "certificat absent")
    if not intact:
        summary = "Signature invalide : le document a été modifié après sa signature."
    elif trusted:
        summary = f"Signature valide : {reason}."
    else:
        summary = f"Document intact, mais signataire non reconnu : {reason}."
    fields = (
        _certificate_fields(cert)
        if cert is not None
        else dict.fromkeys(
            (
                "signer",
                "certificate_subject",
                "certificate_issuer",
                "certificate_serial",
                "not_before",
                "not_after",
            ),
            "",
        )
    )
    when = moment.isoformat() if moment else ""
    return SignatureVerdict(
        fmt, **fields, signing_time=when, intact=intact, trusted=trusted and intact, summary=summary
    )


# --- PAdES -----------------------------------------------------------------------------------------


def _pdf(data: bytes, material: TrustMaterial) -> list[SignatureVerdict]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    verdicts = []
    for embedded in reader.embedded_signatures:
        moment = embedded.self_reported_timestamp
        status = async_to_sync(async_validate_pdf_signature)(
            embedded, signer_validation_context=_context(material, moment), skip_diff=False
        )
        intact = bool(status.intact and status.valid)
        verdicts.append(_verdict("PAdES", embedded.signer_cert, moment, intact, material))
    return verdicts


# --- CAdES -----------------------------------------------------------------------------------------


def _signed_data(data: bytes) -> cms.SignedData | None:
    if data[:1] != b"\x30":
        if b"-----BEGIN" in data[:100]:
            import base64

            body = b"".join(line for line in data.splitlines() if line and not line.startswith(b"-----"))
            data = base64.b64decode(body)
        else:
            return None
    try:
        info = cms.ContentInfo.load(data)
        if info["content_type"].native != "signed_data":
            return None
        signed = info["content"]
        signed.native  # noqa: B018 - force a full parse: a malformed structure fails here
        return signed
    except (ValueError, TypeError, KeyError):
        return None


def _signing_time(signer_info) -> datetime | None:
    for attr in signer_info["signed_attrs"] or []:
        if attr["type"].native == "signing_time":
            return attr["values"][0].native
    return None


def _cms(signed: cms.SignedData, content: bytes | None, material: TrustMaterial) -> list[SignatureVerdict]:
    from pyhanko.sign.validation import async_validate_cms_signature, async_validate_detached_cms
    from pyhanko.sign.validation.status import StandardCMSSignatureStatus

    signer_info = signed["signer_infos"][0]
    moment = _signing_time(signer_info)
    context = _context(material, moment)
    if content is not None:
        status = async_to_sync(async_validate_detached_cms)(
            content, signed, signer_validation_context=context
        )
    else:
        status = async_to_sync(async_validate_cms_signature)(
            signed, status_cls=StandardCMSSignatureStatus, validation_context=context
        )
    return [_verdict("CAdES", status.signing_cert, moment, bool(status.intact and status.valid), material)]


# --- XAdES -----------------------------------------------------------------------------------------


def _xml(data: bytes, material: TrustMaterial) -> list[SignatureVerdict]:
    from bouquet.helios.pes.errors import PESError
    from bouquet.helios.pes.signatures import verify_signatures

    try:
        results = verify_signatures(data)
    except PESError:
        return []
    verdicts = []
    for result in results:
        cert = asn1_x509.Certificate.load(result.signer_certificate) if result.signer_certificate else None
        verdicts.append(_verdict("XAdES", cert, result.signing_time, result.crypto_ok, material))
    return verdicts


def verify_document(name: str, data: bytes, *, detached_content: bytes | None = None) -> dict:
    """The signatures of one document, as a dictionary to store and show.

    :param detached_content: for a ``.p7s``, the file it signs (same name without ``.p7s``).
    :return: ``{"status": "unsigned"|"signed"|"unreadable", "signatures": [...], "message": str}``.
    """
    material = trust_material()
    lower = name.lower()
    try:
        if data.startswith(b"%PDF"):
            verdicts = _pdf(data, material)
        elif lower.endswith((".p7s", ".p7m", ".pkcs7")) or data[:1] == b"\x30":
            signed = _signed_data(data)
            if signed is None:
                return {"status": "unsigned", "signatures": [], "message": "Aucune signature électronique."}
            if lower.endswith(".p7s") and detached_content is None:
                return {
                    "status": "unreadable",
                    "signatures": [],
                    "message": DETACHED_MISSING,
                }
            verdicts = _cms(signed, detached_content if lower.endswith(".p7s") else None, material)
        elif b"Signature" in data[:2_000_000] and data.lstrip()[:1] == b"<":
            verdicts = _xml(data, material)
        else:
            verdicts = []
    except Exception:  # noqa: BLE001 - a hostile file must never break the opening
        return {"status": "unreadable", "signatures": [], "message": "Signature illisible ou mal formée."}
    if not verdicts:
        return {"status": "unsigned", "signatures": [], "message": "Aucune signature électronique."}
    return {
        "status": "signed",
        "signatures": [asdict(v) | {"ok": v.ok} for v in verdicts],
        "message": " ".join(v.summary for v in verdicts),
    }
