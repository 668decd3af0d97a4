"""A PAdES-signed act keeps a valid, intact signature once stamped (incremental update)."""

import datetime as dt
import io

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfReader, PdfWriter

from bouquet.actes.pdf.stamp import stamp_pdf
from tests.actes.pdf.helpers import ID_ACTE, REAL_PDFS, make_pdf


@pytest.fixture(scope="module")
def signer():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Maire de test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    asn1_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    asn1_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return signers.SimpleSigner(
        signing_cert=asn1_cert,
        signing_key=asn1_key,
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert]),
    ), asn1_cert


def sign(pdf: bytes, signer) -> bytes:
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
        signers.PdfSignatureMetadata(field_name="Signature1"),
        signer=signer,
    )
    return out.getvalue()


def validate(pdf: bytes, root):
    signature = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[0]
    return signature, validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))


@pytest.mark.parametrize("source", ["generated", "rotated", "real"])
def test_it_keeps_a_pades_signature_intact_and_valid(signer, source):
    pdf = {
        "generated": lambda: make_pdf(),
        "rotated": lambda: make_pdf(rotate=90),
        "real": lambda: REAL_PDFS["delib"].read_bytes(),
    }[source]()
    signed = sign(pdf, signer[0])
    signature, before = validate(signed, signer[1])
    assert before.intact and before.valid

    result = stamp_pdf(signed, sent_at=dt.date(2026, 3, 2), received_at=dt.date(2026, 3, 3), id_acte=ID_ACTE)

    assert result.stamped
    assert result.pdf.startswith(signed)
    stamped_signature, after = validate(result.pdf, signer[1])
    assert after.intact and after.valid
    # The signature covers the same bytes as before; the stamp is a later revision.
    assert stamped_signature.byte_range == signature.byte_range
    assert after.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert "Reçu en préfecture le 03/03/2026" in PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()


def test_a_full_rewrite_would_break_the_signature(signer):
    """Why the stamp never rewrites the file: pypdf's plain save invalidates the signature."""
    signed = sign(make_pdf(), signer[0])
    buffer = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(signed))).write(buffer)
    _, status = validate(buffer.getvalue(), signer[1])
    assert not (status.intact and status.valid)


def xref_stream_pdf(**kwargs) -> bytes:
    """A PDF whose cross-reference is a stream (PDF 1.5+), as most recent producers write."""
    writer = copy_into_new_writer(
        PdfFileReader(io.BytesIO(make_pdf(**kwargs))), writer_kwargs={"stream_xrefs": True}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def last_xref(pdf: bytes) -> bytes:
    start = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
    return pdf[start : start + 300]


@pytest.mark.parametrize("rotate", [0, 270])
def test_it_updates_a_cross_reference_stream_with_a_stream(signer, rotate):
    original = xref_stream_pdf(rotate=rotate)
    assert not last_xref(original).startswith(b"xref")
    once = stamp_pdf(original, sent_at=dt.date(2026, 3, 2), received_at=dt.date(2026, 3, 3), id_acte="A")
    twice = stamp_pdf(once.pdf, sent_at=dt.date(2026, 3, 2), received_at=dt.date(2026, 3, 3), id_acte="B")
    assert once.stamped and twice.stamped and twice.pdf.startswith(once.pdf)
    assert b"/XRef" in last_xref(twice.pdf)
    text = PdfReader(io.BytesIO(twice.pdf)).pages[0].extract_text()
    assert "ID : A" in text and "ID : B" in text
    # pyHanko reads the revisions back, and a signature over the stamped file validates.
    signed = sign(twice.pdf, signer[0])
    _, status = validate(signed, signer[1])
    assert status.intact and status.valid
    assert PdfFileReader(io.BytesIO(twice.pdf)).xrefs.total_revisions == 3
