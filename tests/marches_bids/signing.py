"""Documents signed in the tests with the demo PKI (PAdES with pyHanko, detached CAdES)."""

import io

from asgiref.sync import async_to_sync
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from reportlab.pdfgen import canvas

from bouquet.pki.testing import demo_pki_for_tests


def plain_pdf(text: str = "Acte d'engagement") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def signer_for(user: str = "valid_rgs") -> signers.SimpleSigner:
    pki = demo_pki_for_tests()
    files = pki.users[user]
    return signers.SimpleSigner.load(
        str(files.key), str(files.cert), ca_chain_files=(str(pki.intermediate_cert),)
    )


def pades(pdf: bytes, user: str = "valid_rgs") -> bytes:
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
        signers.PdfSignatureMetadata(field_name="Signature1"),
        signer=signer_for(user),
    )
    return out.getvalue()


def cades_detached(data: bytes, user: str = "valid_rgs") -> bytes:
    signed = async_to_sync(signer_for(user).async_sign_general_data)(data, "sha256", detached=True)
    return signed.dump()
