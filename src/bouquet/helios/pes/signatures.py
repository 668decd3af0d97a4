"""Verification of the XML-DSig / XAdES 1.1.1 signatures of a PES, without re-serialising it.

Bordereau and PJ signatures are verified while streaming, each when its signed element is complete,
so memory stays bounded by the largest bordereau. A global signature (on the root) or an unusual
reference makes the verifier fall back to one full parse.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from ._xml import (
    PESSource,
    check_size,
    open_source,
    parse_whole,
    release,
    secure_iterparse,
)
from .checks import Finding, has_errors
from .constants import DSIG_NS, MAX_FILE_SIZE
from .xades import check_properties

__all__ = ["SignatureResult", "SignerValidator", "verify_signatures"]

#: ``validate_signer(certificate_der, signing_time) -> (ok, French message)``: chain validation at
#: signing time, provided by the caller (the RGS trust store lives on the Django side).
SignerValidator = Callable[[bytes, datetime | None], tuple[bool, str]]

_SIGNATURE = f"{{{DSIG_NS}}}Signature"
_ALLOWED_TRANSFORMS = {
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/2006/12/xml-c14n11",
}


@dataclass(frozen=True)
class SignatureResult:
    """Verdict on one ds:Signature."""

    signature_id: str | None
    referenced_ids: tuple[str, ...]  #: ``Reference@URI`` values without ``#``
    signed_element: str | None  #: local name of the element the first reference designates
    crypto_ok: bool  #: XML-DSig verification (digests and signature value) passed
    crypto_message: str  #: French explanation of the cryptographic verdict
    findings: tuple[Finding, ...]  #: XAdES properties and structure findings
    signer_subject: str | None
    signer_certificate: bytes | None  #: DER
    signing_time: datetime | None
    signature_method: str | None
    signer_ok: bool | None = None  #: verdict of ``validate_signer``; ``None`` when not asked
    signer_message: str | None = None
    line: int | None = None

    @property
    def valid(self) -> bool:
        """Cryptographically valid, compliant properties, and signer not rejected."""
        return self.crypto_ok and not has_errors(self.findings) and self.signer_ok is not False


class _NeedFullTree(Exception):
    pass


def verify_signatures(
    source: PESSource, *, validate_signer: SignerValidator | None = None, max_size: int = MAX_FILE_SIZE
) -> tuple[SignatureResult, ...]:
    """Verify every ds:Signature of a PES file (an unsigned file gives an empty tuple).

    :param validate_signer: chain validation of the signer at signing time (see :data:`SignerValidator`).
    :raises PESError: the file cannot be parsed.
    """
    check_size(source, max_size)
    try:
        return _streaming(source, validate_signer)
    except _NeedFullTree:
        return _full_tree(source, validate_signer)


def _reopen(source: PESSource) -> Any:
    if not isinstance(source, bytes | str | os.PathLike):
        source.seek(0)
    return open_source(source)


def _streaming(source: PESSource, validate_signer: SignerValidator | None) -> tuple[SignatureResult, ...]:
    results: list[SignatureResult] = []
    pending: list[tuple[Any, list[Any]]] = []
    stream = _reopen(source)
    depth = 0
    try:
        for event, element in secure_iterparse(stream):
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if element.tag == _SIGNATURE and not any(a.tag == _SIGNATURE for a in element.iterancestors()):
                parent = element.getparent()
                first = element.find(f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}Reference")
                if depth <= 1 or first is None or first.get("URI") != f"#{parent.get('Id')}":
                    raise _NeedFullTree
                if pending and pending[-1][0] is parent:
                    pending[-1][1].append(element)
                else:
                    pending.append((parent, [element]))
            elif pending and pending[-1][0] is element:
                for signature in pending.pop()[1]:
                    results.append(_verify_one(signature, [element], validate_signer))
            if 1 <= depth <= 2:
                release(element)
    finally:
        if stream is not source:
            stream.close()
    return tuple(results)


def _full_tree(source: PESSource, validate_signer: SignerValidator | None) -> tuple[SignatureResult, ...]:
    tree = parse_whole(source)
    with_ids = [e for e in tree.iter() if isinstance(e.tag, str) and e.get("Id") is not None]
    signatures = [s for s in tree.iter(_SIGNATURE) if not any(a.tag == _SIGNATURE for a in s.iterancestors())]
    return tuple(_verify_one(s, with_ids, validate_signer) for s in signatures)


def _certificate(signature: Any) -> tuple[x509.Certificate | None, bytes | None]:
    text = signature.findtext(f"{{{DSIG_NS}}}KeyInfo/{{{DSIG_NS}}}X509Data/{{{DSIG_NS}}}X509Certificate")
    if not text:
        return None, None
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
        return x509.load_der_x509_certificate(der), der
    except (ValueError, binascii.Error):
        return None, None


def _structure(signature: Any, references: tuple[str, ...]) -> list[Finding]:
    line = signature.sourceline
    findings = []
    if signature.get("Id") is None:
        findings.append(Finding("signature_id_missing", "error", "La signature n'a pas d'attribut Id.", line))
    if any(uri and not uri.startswith("#") for uri in references):
        findings.append(
            Finding(
                "reference_external", "error", "La signature désigne un contenu extérieur au fichier.", line
            )
        )
    for transform in signature.iter(f"{{{DSIG_NS}}}Transform"):
        if transform.get("Algorithm") not in _ALLOWED_TRANSFORMS:
            findings.append(
                Finding(
                    "transform_refused",
                    "error",
                    f"Transformation refusée : {transform.get('Algorithm')}.",
                    line,
                )
            )
    return findings


def _crypto(signature: Any, with_ids: list[Any], der: bytes | None) -> tuple[bool, str]:
    if der is None:
        return False, "Certificat du signataire absent ou illisible dans la signature (KeyInfo)."
    ctx = xmlsec.SignatureContext()
    for element in [*with_ids, *(e for e in signature.iter() if isinstance(e.tag, str) and e.get("Id"))]:
        try:
            ctx.register_id(element, "Id")
        except xmlsec.Error:
            return False, f"Identifiant « {element.get('Id')} » ambigu : vérification impossible."
    try:
        pem = x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM)
        ctx.key = xmlsec.Key.from_memory(pem, xmlsec.constants.KeyDataFormatCertPem)
        ctx.verify(signature)
    except xmlsec.Error:
        return (
            False,
            "Impossible d'affirmer que la signature correspond au fichier : "
            "contenu modifié ou signature invalide.",
        )
    return True, "Signature cryptographiquement valide."


def _verify_one(
    signature: Any, with_ids: list[Any], validate_signer: SignerValidator | None
) -> SignatureResult:
    references = tuple(r.get("URI") or "" for r in signature.iter(f"{{{DSIG_NS}}}Reference"))
    certificate, der = _certificate(signature)
    findings = _structure(signature, references)
    if has_errors(tuple(findings)):
        crypto_ok, message = False, "Vérification cryptographique non tentée (structure refusée)."
    else:
        crypto_ok, message = _crypto(signature, with_ids, der)
    signing_time, properties = check_properties(signature, certificate, der, references)
    findings += properties
    signer_ok = signer_message = None
    if validate_signer is not None and der is not None:
        try:
            signer_ok, signer_message = validate_signer(der, signing_time)
        except Exception as exc:  # noqa: BLE001 - the injected validator must not break verification
            signer_ok, signer_message = False, f"Validation du certificat impossible : {exc}"
    first = references[0].removeprefix("#") if references else None
    target = next((e for e in with_ids if e.get("Id") == first), None) if first else None
    method = signature.find(f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}SignatureMethod")
    return SignatureResult(
        signature_id=signature.get("Id"),
        referenced_ids=tuple(r.removeprefix("#") for r in references),
        signed_element=None if target is None else etree.QName(target).localname,
        crypto_ok=crypto_ok,
        crypto_message=message,
        findings=tuple(findings),
        signer_subject=None if certificate is None else certificate.subject.rfc4514_string(),
        signer_certificate=der,
        signing_time=signing_time,
        signature_method=None if method is None else method.get("Algorithm"),
        signer_ok=signer_ok,
        signer_message=signer_message,
        line=signature.sourceline,
    )
