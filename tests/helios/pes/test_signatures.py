"""Signature verification: crypto with python-xmlsec, XAdES 1.1.1 properties, injected chain check."""

import hashlib
from datetime import UTC, datetime

import pytest

from bouquet.helios.pes import read_pes, verify_signatures
from bouquet.helios.pes.xades import same_name

from .conftest import SIGNED_PASTELL
from .signing import make_signer, sign_bordereaux


@pytest.mark.parametrize("method", ["rsa-sha256", "rsa-sha1"])
def test_helios_style_signature_verifies(pes_aller, signer, method):
    signed = sign_bordereaux(pes_aller, signer, method=method)
    (result,) = verify_signatures(signed)
    assert result.valid and result.crypto_ok and result.findings == ()
    assert result.signature_id == "BORD1093357910_SIG_1" and result.signed_element == "Bordereau"
    assert result.referenced_ids == ("BORD1093357910", "BORD1093357910_SIG_1_SP")
    assert result.signer_certificate == signer.der and "Ordonnateur de test" in result.signer_subject
    assert result.signature_method.endswith(method) and result.signing_time.tzinfo is not None


def test_one_changed_byte_in_the_bordereau_fails(pes_aller, signer):
    signed = sign_bordereaux(pes_aller, signer)
    tampered = signed.replace(b'<MtHT V="39724.75"/>', b'<MtHT V="39724.76"/>')
    assert len(tampered) == len(signed) and tampered != signed
    (result,) = verify_signatures(tampered)
    assert not result.crypto_ok and not result.valid and "Impossible d'affirmer" in result.crypto_message


def test_signing_certificate_digest_mismatch_is_reported(pes_aller, signer):
    other = make_signer("Quelqu'un d'autre")
    (result,) = verify_signatures(sign_bordereaux(pes_aller, signer, cert_digest_of=other.der))
    assert result.crypto_ok and not result.valid
    assert [f.code for f in result.findings] == ["signing_certificate_digest"]


def test_expired_signer_reported_by_injected_validator(pes_aller):
    expired = make_signer("Expiré", not_before=datetime(2020, 1, 1, tzinfo=UTC), days=30)
    calls = []

    def validate_signer(der, signing_time):
        calls.append((der, signing_time))
        cert = __import__("cryptography.x509", fromlist=["x"]).load_der_x509_certificate(der)
        if signing_time > cert.not_valid_after_utc:
            return False, "Certificat expiré à la date de signature."
        return True, "Chaîne valide."

    signed = sign_bordereaux(pes_aller, expired, signing_time=datetime(2026, 1, 15, 10, 0, tzinfo=UTC))
    (result,) = verify_signatures(signed, validate_signer=validate_signer)
    assert calls == [(expired.der, datetime(2026, 1, 15, 10, 0, tzinfo=UTC))]
    assert result.crypto_ok and result.signer_ok is False and not result.valid
    assert result.signer_message == "Certificat expiré à la date de signature."


def test_wrong_policy_is_reported(pes_aller, signer):
    signed = sign_bordereaux(pes_aller, signer).replace(b"1.2.250.1.131.1.5.18.21.1.4", b"1.2.3.4")
    (result,) = verify_signatures(signed)
    assert not result.crypto_ok  # the properties are signed, so the change also breaks the digest
    assert "policy_not_helios" in [f.code for f in result.findings]


def test_real_pastell_signature_verifies_and_bytes_are_untouched():
    before = SIGNED_PASTELL.read_bytes()
    doc = read_pes(SIGNED_PASTELL)
    (result,) = verify_signatures(SIGNED_PASTELL)
    assert result.valid and result.signing_time == datetime(2017, 12, 27, 14, 21, 55, tzinfo=UTC)
    assert "CN=LOPES_Celine" in result.signer_subject
    after = SIGNED_PASTELL.read_bytes()
    assert hashlib.sha256(after).hexdigest() == hashlib.sha256(before).hexdigest() == doc.sha256


def test_global_signature_falls_back_to_a_full_parse(pes_aller, signer):
    # Move the bordereau's signature to the root: it still covers the bordereau (enveloped transform
    # was a no-op there), but streaming cannot verify it, so the verifier parses the whole file.
    signed = sign_bordereaux(pes_aller, signer)
    start, end = signed.index(b"<ds:Signature"), signed.index(b"</ds:Signature>") + len(b"</ds:Signature>")
    moved = signed[:start] + signed[end:]
    moved = moved.replace(b"</n:PES_Aller>", signed[start:end] + b"</n:PES_Aller>")
    (result,) = verify_signatures(moved)
    assert result.signed_element == "Bordereau" and result.crypto_ok
    assert read_pes(moved).signatures[0].parent_tag == "PES_Aller"


def test_unsigned_file_has_no_signature(pes_aller):
    assert verify_signatures(pes_aller) == ()


def test_issuer_names_in_openssl_and_hex_forms():
    cert = __import__("cryptography.x509", fromlist=["x"]).load_der_x509_certificate(
        verify_signatures(SIGNED_PASTELL)[0].signer_certificate
    )
    assert same_name(
        "1.2.840.113549.1.9.1=#161473797374656d65406164756c6c6163742e6f7267,CN=AC_ADULLACT_Utilisateurs_G3,"
        "OU=AC_ADULLACT_Utilisateurs_G3,O=Association ADULLACT,ST=Herault,C=FR",
        cert.issuer,
    )
    assert not same_name("CN=Autre,C=FR", cert.issuer)
