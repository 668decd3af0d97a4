"""Certificate parsing and RGS levels: pure functions, no Django.

``parse_certificate`` accepts PEM, DER or PKCS#12 and returns a frozen ``ParsedCertificate``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import core as asn1
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtensionOID, NameOID

from bouquet.pki.errors import CertificateError

__all__ = [
    "RGS_LEVELS",
    "ParsedCertificate",
    "best_rgs_level",
    "load_pem_certificates",
    "parse_certificate",
    "parse_pkcs12_public",
    "rgs_rank",
]

RGS_LEVELS = ("", "RGS*", "RGS**", "RGS***")
QC_STATEMENTS_OID = "1.3.6.1.5.5.7.1.3"
QC_COMPLIANCE_OID = "0.4.0.1862.1.1"
_UNREADABLE = "Fichier de certificat illisible : "
_NAME_OVERRIDES = {NameOID.EMAIL_ADDRESS: "E"}  # readable instead of the bare OID


def rgs_rank(level: str) -> int:
    """0 for no level, 1 for RGS*, 2 for RGS**, 3 for RGS***; unknown labels count as none."""
    return RGS_LEVELS.index(level) if level in RGS_LEVELS else 0


def best_rgs_level(policy_oids: Iterable[str], policy_table: Mapping[str, str]) -> str:
    """The highest RGS level that ``policy_table`` (OID → level) grants to one of ``policy_oids``."""
    levels = [policy_table.get(oid, "") for oid in policy_oids]
    return max(levels, key=rgs_rank, default="")


@dataclass(frozen=True)
class ParsedCertificate:
    """What Bouquet keeps of an X.509 certificate. Dates are aware UTC; fingerprints lowercase hex."""

    subject: str
    common_name: str
    email: str
    issuer: str
    serial_hex: str
    fingerprint_sha256: str
    fingerprint_sha1: str
    not_before: datetime
    not_after: datetime
    key_usage: tuple[str, ...]
    extended_key_usage: tuple[str, ...]
    policy_oids: tuple[str, ...]
    qualified: bool
    der: bytes = field(repr=False)

    def rgs_level(self, policy_table: Mapping[str, str]) -> str:
        """The RGS level granted by the editable OID table (``""`` when none)."""
        return best_rgs_level(self.policy_oids, policy_table)

    @property
    def is_self_signed(self) -> bool:
        return self.subject == self.issuer


def parse_certificate(data: bytes, password: bytes | None = None) -> ParsedCertificate:
    """Parse one certificate given as PEM, DER or PKCS#12 (only its certificate is read).

    :raises CertificateError: when the data is none of these.
    """
    data = data or b""
    if b"-----BEGIN" in data:
        certs = load_pem_certificates(data)
        if not certs:
            raise CertificateError(_UNREADABLE + "aucun certificat dans le fichier PEM.")
        return _parsed(certs[0])
    try:
        return _parsed(x509.load_der_x509_certificate(data))
    except ValueError:
        pass
    return parse_pkcs12_public(data, password)


def parse_pkcs12_public(data: bytes, password: bytes | None) -> ParsedCertificate:
    """The certificate of a PKCS#12 bundle; the private key is decrypted by the library but dropped."""
    try:
        _key, cert, _extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError as exc:
        hint = "mot de passe incorrect ou format inconnu" if data[:1] == b"\x30" else "format inconnu"
        raise CertificateError(f"{_UNREADABLE}{hint}.") from exc
    if cert is None:
        raise CertificateError(_UNREADABLE + "le fichier PKCS#12 ne contient aucun certificat.")
    return _parsed(cert)


def load_pem_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM bundle (empty list when none)."""
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        if b"CERTIFICATE-----" not in data:
            return []
        raise CertificateError(_UNREADABLE + "bloc PEM invalide.") from exc


def _parsed(cert: x509.Certificate) -> ParsedCertificate:
    der = cert.public_bytes(serialization.Encoding.DER)
    try:
        return ParsedCertificate(
            subject=cert.subject.rfc4514_string(_NAME_OVERRIDES),
            common_name=_first(cert.subject, NameOID.COMMON_NAME),
            email=_email(cert),
            issuer=cert.issuer.rfc4514_string(_NAME_OVERRIDES),
            serial_hex=format(cert.serial_number, "x"),
            fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(),
            fingerprint_sha1=cert.fingerprint(hashes.SHA1()).hex(),  # noqa: S303 - display only
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            key_usage=_key_usage(cert),
            extended_key_usage=_extended_key_usage(cert),
            policy_oids=_policy_oids(cert),
            qualified=_is_qualified(cert),
            der=der,
        )
    except (ValueError, x509.DuplicateExtension, x509.UnsupportedGeneralNameType) as exc:
        raise CertificateError(f"{_UNREADABLE}{exc}") from exc


def _first(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    attrs = name.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else ""


def _extension(cert: x509.Certificate, oid: x509.ObjectIdentifier):
    try:
        return cert.extensions.get_extension_for_oid(oid).value
    except x509.ExtensionNotFound:
        return None


def _email(cert: x509.Certificate) -> str:
    san = _extension(cert, ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    emails = san.get_values_for_type(x509.RFC822Name) if san is not None else []
    return (emails[0] if emails else _first(cert.subject, NameOID.EMAIL_ADDRESS)).lower()


_KEY_USAGE_NAMES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
)


def _key_usage(cert: x509.Certificate) -> tuple[str, ...]:
    usage = _extension(cert, ExtensionOID.KEY_USAGE)
    if usage is None:
        return ()
    names = [name for name in _KEY_USAGE_NAMES if getattr(usage, name)]
    if usage.key_agreement:
        names += [n for n in ("encipher_only", "decipher_only") if getattr(usage, n)]
    return tuple(names)


# pyhanko-certvalidator's names for the usual purposes; others stay as dotted OIDs.
_EKU_NAMES = {
    "1.3.6.1.5.5.7.3.1": "server_auth",
    "1.3.6.1.5.5.7.3.2": "client_auth",
    "1.3.6.1.5.5.7.3.3": "code_signing",
    "1.3.6.1.5.5.7.3.4": "email_protection",
    "1.3.6.1.5.5.7.3.8": "time_stamping",
    "1.3.6.1.5.5.7.3.9": "ocsp_signing",
}


def _extended_key_usage(cert: x509.Certificate) -> tuple[str, ...]:
    usage = _extension(cert, ExtensionOID.EXTENDED_KEY_USAGE)
    return tuple(_EKU_NAMES.get(oid.dotted_string, oid.dotted_string) for oid in usage or ())


def _policy_oids(cert: x509.Certificate) -> tuple[str, ...]:
    policies = _extension(cert, ExtensionOID.CERTIFICATE_POLICIES)
    return tuple(p.policy_identifier.dotted_string for p in policies or ())


class _QcStatement(asn1.Sequence):
    _fields = [("statement_id", asn1.ObjectIdentifier), ("statement_info", asn1.Any, {"optional": True})]


class _QcStatements(asn1.SequenceOf):
    _child_spec = _QcStatement


def _is_qualified(cert: x509.Certificate) -> bool:
    """True when the QCStatements extension (RFC 3739) declares QcCompliance (ETSI EN 319 412-5)."""
    ext = _extension(cert, x509.ObjectIdentifier(QC_STATEMENTS_OID))
    if ext is None:
        return False
    try:
        statements = _QcStatements.load(ext.value)
        return any(s["statement_id"].dotted == QC_COMPLIANCE_OID for s in statements)
    except (ValueError, TypeError):
        return False
