"""Test-only: throwaway certificates and Hélios-style bordereau signatures (XAdES 1.1.1 EPES)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree

from bouquet.helios.pes.constants import (
    DSIG_NS,
    HELIOS_POLICY_HASH_SHA1,
    HELIOS_POLICY_URN,
    XADES_NS,
    XADES_SIGNED_PROPERTIES_TYPE,
)

__all__ = ["TestSigner", "make_signer", "sign_bordereaux"]

_METHODS = {
    "rsa-sha256": (xmlsec.constants.TransformRsaSha256, xmlsec.constants.TransformSha256),
    "rsa-sha1": (xmlsec.constants.TransformRsaSha1, xmlsec.constants.TransformSha1),
    # The demo PKI's user keys are EC (P-256).
    "ecdsa-sha256": (xmlsec.constants.TransformEcdsaSha256, xmlsec.constants.TransformSha256),
}


@dataclass(frozen=True)
class TestSigner:
    """A private key and its self-signed certificate."""

    __test__ = False
    key_pem: bytes
    cert_pem: bytes
    certificate: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def make_signer(
    name: str = "Ordonnateur de test", *, not_before: datetime | None = None, days: int = 365
) -> TestSigner:
    """Generate an RSA-2048 key and a self-signed certificate valid ``days`` days from ``not_before``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = not_before or datetime.now(UTC) - timedelta(days=1)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Commune de Test"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return TestSigner(key_pem, certificate.public_bytes(serialization.Encoding.PEM), certificate)


def _sub(
    parent: etree._Element, ns: str, name: str, text: str | None = None, **attrib: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}", attrib)
    element.text = text
    return element


def _qualifying_properties(
    signature: etree._Element, sig_id: str, signer: TestSigner, signing_time: datetime, cert_der: bytes
) -> etree._Element:
    obj = _sub(signature, DSIG_NS, "Object")
    qp = etree.SubElement(
        obj, f"{{{XADES_NS}}}QualifyingProperties", {"Target": f"#{sig_id}"}, nsmap={"xad": XADES_NS}
    )
    props = _sub(
        _sub(qp, XADES_NS, "SignedProperties", Id=f"{sig_id}_SP"), XADES_NS, "SignedSignatureProperties"
    )
    _sub(props, XADES_NS, "SigningTime", signing_time.strftime("%Y-%m-%dT%H:%M:%SZ"))
    cert = _sub(_sub(props, XADES_NS, "SigningCertificate"), XADES_NS, "Cert")
    digest = _sub(cert, XADES_NS, "CertDigest")
    _sub(digest, XADES_NS, "DigestMethod", Algorithm="http://www.w3.org/2000/09/xmldsig#sha1")
    _sub(digest, XADES_NS, "DigestValue", base64.b64encode(hashlib.sha1(cert_der).digest()).decode())
    serial = _sub(cert, XADES_NS, "IssuerSerial")
    _sub(serial, DSIG_NS, "X509IssuerName", signer.certificate.issuer.rfc4514_string())
    _sub(serial, DSIG_NS, "X509SerialNumber", str(signer.certificate.serial_number))
    policy = _sub(_sub(props, XADES_NS, "SignaturePolicyIdentifier"), XADES_NS, "SignaturePolicyId")
    policy_id = _sub(policy, XADES_NS, "SigPolicyId")
    _sub(policy_id, XADES_NS, "Identifier", HELIOS_POLICY_URN)
    _sub(policy_id, XADES_NS, "Description", "Politique de signature Helios de la DGFiP")
    policy_hash = _sub(policy, XADES_NS, "SigPolicyHash")
    _sub(policy_hash, XADES_NS, "DigestMethod", Algorithm="http://www.w3.org/2000/09/xmldsig#sha1")
    _sub(policy_hash, XADES_NS, "DigestValue", HELIOS_POLICY_HASH_SHA1)
    role = _sub(_sub(props, XADES_NS, "SignerRole"), XADES_NS, "ClaimedRoles")
    _sub(role, XADES_NS, "ClaimedRole", "Ordonnateur")
    return qp


def sign_bordereaux(
    pes: bytes,
    signer: TestSigner,
    *,
    method: str = "rsa-sha256",
    signing_time: datetime | None = None,
    cert_digest_of: bytes | None = None,
) -> bytes:
    """Append an enveloped XAdES 1.1.1 EPES signature as the last child of every bordereau with an Id.

    :param cert_digest_of: DER whose SHA-1 is written in SigningCertificate (to forge a mismatch).
    """
    sign_method, digest_method = _METHODS[method]
    tree = etree.ElementTree(etree.fromstring(pes, etree.XMLParser(huge_tree=True)))
    for bordereau in tree.getroot().iterfind("*/Bordereau[@Id]"):
        bid = bordereau.get("Id")
        sig_id = f"{bid}_SIG_1"
        signature = xmlsec.template.create(
            bordereau, xmlsec.constants.TransformInclC14N, sign_method, ns="ds"
        )
        signature.set("Id", sig_id)
        ref = xmlsec.template.add_reference(signature, digest_method, uri=f"#{bid}")
        xmlsec.template.add_transform(ref, xmlsec.constants.TransformEnveloped)
        xmlsec.template.add_transform(ref, xmlsec.constants.TransformInclC14N)
        ref = xmlsec.template.add_reference(
            signature, digest_method, uri=f"#{sig_id}_SP", type=XADES_SIGNED_PROPERTIES_TYPE
        )
        xmlsec.template.add_transform(ref, xmlsec.constants.TransformInclC14N)
        xmlsec.template.add_x509_data(xmlsec.template.ensure_key_info(signature))
        when = signing_time or datetime.now(UTC)
        qp = _qualifying_properties(signature, sig_id, signer, when, cert_digest_of or signer.der)
        bordereau.append(signature)
        ctx = xmlsec.SignatureContext()
        ctx.register_id(bordereau, "Id")
        ctx.register_id(qp[0], "Id")
        ctx.key = xmlsec.Key.from_memory(signer.key_pem, xmlsec.constants.KeyDataFormatPem)
        ctx.key.load_cert_from_memory(signer.cert_pem, xmlsec.constants.KeyDataFormatCertPem)
        ctx.sign(signature)
    return etree.tostring(tree, xml_declaration=True, encoding="ISO-8859-1")
