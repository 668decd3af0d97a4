"""Checks of the XAdES 1.1.1 signed properties of a PES signature (Hélios EPES profile)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from cryptography import x509

from .checks import Finding
from .constants import DSIG_NS, HELIOS_POLICY_HASH_SHA1, HELIOS_POLICY_OID, HELIOS_POLICY_URN, XADES_NS

__all__ = ["DIGESTS", "check_properties", "same_name"]

#: Digest algorithms accepted in CertDigest, by XML-DSig URI.
DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
_NAMES = {
    "CN": "2.5.4.3",
    "SN": "2.5.4.4",
    "SERIALNUMBER": "2.5.4.5",
    "C": "2.5.4.6",
    "L": "2.5.4.7",
    "ST": "2.5.4.8",
    "S": "2.5.4.8",
    "STREET": "2.5.4.9",
    "O": "2.5.4.10",
    "OU": "2.5.4.11",
    "T": "2.5.4.12",
    "TITLE": "2.5.4.12",
    "GN": "2.5.4.42",
    "ORGANIZATIONIDENTIFIER": "2.5.4.97",
    "E": "1.2.840.113549.1.9.1",
    "EMAILADDRESS": "1.2.840.113549.1.9.1",
    "DC": "0.9.2342.19200300.100.1.25",
    "UID": "0.9.2342.19200300.100.1.1",
}
_SEPARATOR = re.compile(r"(?<!\\)[,+;]")


def _x(path: str) -> str:
    return path.replace("ds:", f"{{{DSIG_NS}}}").replace("xad:", f"{{{XADES_NS}}}")


def _text(element: Any, path: str) -> str | None:
    found = element.find(_x(path))
    return None if found is None or found.text is None else found.text.strip()


def _der_string(hex_value: str) -> str:
    data = bytes.fromhex(hex_value)
    length, offset = data[1], 2
    if length & 0x80:
        size = length & 0x7F
        length, offset = int.from_bytes(data[2 : 2 + size], "big"), 2 + size
    return data[offset : offset + length].decode("utf-8", "replace")


def _parse_name(text: str) -> Iterator[tuple[str, str]]:
    for part in _SEPARATOR.split(text):
        key, _, value = part.partition("=")
        key, value = key.strip(), value.strip()
        oid = _NAMES.get(key.upper(), key.removeprefix("OID.").removeprefix("oid."))
        if value.startswith("#"):
            value = _der_string(value[1:])
        else:
            value = re.sub(r"\\(.)", r"\1", value).strip('"')
        yield oid, value.casefold()


def same_name(text: str, name: x509.Name) -> bool:
    """Whether a DN written as text (RFC 4514 or OpenSSL style, ``#hex`` values) denotes ``name``."""
    try:
        written = set(_parse_name(text))
    except (ValueError, IndexError):
        return False
    actual = {(a.oid.dotted_string, str(a.value).casefold()) for a in name}
    return written == actual


def check_properties(
    signature: Any, certificate: x509.Certificate | None, der: bytes | None, references: tuple[str, ...]
) -> tuple[datetime | None, list[Finding]]:
    """Check SigningTime, SigningCertificate and SignaturePolicyIdentifier; return the signing time.

    :param references: ``Reference@URI`` values of the SignedInfo (to check the properties are signed).
    """
    findings: list[Finding] = []
    line = signature.sourceline
    qp = next(
        (e for e in signature.iter() if isinstance(e.tag, str) and e.tag.endswith("}QualifyingProperties")),
        None,
    )
    if qp is None:
        return None, [Finding("xades_missing", "error", "Propriétés XAdES absentes de la signature.", line)]
    if qp.tag != f"{{{XADES_NS}}}QualifyingProperties":
        namespace = qp.tag[1:].partition("}")[0]
        message = (
            f"Propriétés XAdES dans l'espace de noms {namespace} : Hélios attend XAdES 1.1.1 ({XADES_NS})."
        )
        return None, [Finding("xades_version", "error", message, line)]
    if qp.get("Target") != f"#{signature.get('Id')}":
        findings.append(
            Finding("xades_target", "warning", "Les propriétés XAdES visent une autre signature.", line)
        )
    properties = qp.find(_x("xad:SignedProperties"))
    if properties is None or f"#{properties.get('Id')}" not in references:
        findings.append(
            Finding(
                "xades_not_signed",
                "error",
                "Les propriétés signées XAdES ne sont pas couvertes par la signature.",
                line,
            )
        )
    signing_time = _signing_time(qp, findings, line)
    _check_certificate(qp, certificate, der, findings, line)
    _check_policy(qp, findings, line)
    return signing_time, findings


def _signing_time(qp: Any, findings: list[Finding], line: int | None) -> datetime | None:
    text = _text(qp, ".//xad:SigningTime")
    if not text:
        findings.append(
            Finding("signing_time_missing", "error", "Date de signature (SigningTime) absente.", line)
        )
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        findings.append(
            Finding("signing_time_invalid", "error", f"Date de signature illisible : {text}.", line)
        )
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _check_certificate(
    qp: Any,
    certificate: x509.Certificate | None,
    der: bytes | None,
    findings: list[Finding],
    line: int | None,
) -> None:
    cert = qp.find(_x(".//xad:SigningCertificate/xad:Cert"))
    if cert is None:
        findings.append(Finding("signing_certificate_missing", "error", "SigningCertificate absent.", line))
        return
    if certificate is None or der is None:
        return
    method = cert.find(_x("xad:CertDigest/xad:DigestMethod"))
    algorithm = DIGESTS.get("" if method is None else method.get("Algorithm", ""))
    value = _text(cert, "xad:CertDigest/xad:DigestValue")
    if algorithm is None or value is None:
        findings.append(
            Finding("signing_certificate_digest", "error", "Empreinte du certificat illisible.", line)
        )
    elif base64.b64decode(value) != hashlib.new(algorithm, der).digest():
        findings.append(
            Finding(
                "signing_certificate_digest",
                "error",
                "L'empreinte du certificat signataire (SigningCertificate) ne correspond pas au "
                "certificat joint à la signature.",
                line,
            )
        )
    serial = _text(cert, "xad:IssuerSerial/ds:X509SerialNumber")
    if serial is None or not serial.isdigit() or int(serial) != certificate.serial_number:
        findings.append(
            Finding(
                "signing_certificate_serial",
                "error",
                "Le numéro de série du certificat signataire diffère.",
                line,
            )
        )
    issuer = _text(cert, "xad:IssuerSerial/ds:X509IssuerName")
    if issuer is None or not same_name(issuer, certificate.issuer):
        findings.append(
            Finding(
                "signing_certificate_issuer",
                "warning",
                f"L'émetteur déclaré du certificat ({issuer}) ne correspond pas à celui du certificat joint.",
                line,
            )
        )


def _check_policy(qp: Any, findings: list[Finding], line: int | None) -> None:
    policy = qp.find(_x(".//xad:SignaturePolicyIdentifier/xad:SignaturePolicyId"))
    if policy is None:
        findings.append(
            Finding(
                "policy_missing", "error", "Politique de signature absente (Hélios exige sa politique).", line
            )
        )
        return
    identifier = _text(policy, "xad:SigPolicyId/xad:Identifier")
    if identifier not in (HELIOS_POLICY_URN, HELIOS_POLICY_OID):
        findings.append(
            Finding(
                "policy_not_helios",
                "error",
                f"Politique de signature {identifier} : Hélios attend {HELIOS_POLICY_URN}.",
                line,
            )
        )
    digest = _text(policy, "xad:SigPolicyHash/xad:DigestValue")
    if digest != HELIOS_POLICY_HASH_SHA1:
        findings.append(
            Finding(
                "policy_hash",
                "warning",
                "L'empreinte de la politique de signature n'est pas celle connue.",
                line,
            )
        )
