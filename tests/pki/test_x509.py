import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from bouquet.pki.demo_pki import DEMO_RGS_ONE_STAR_OID, DEMO_RGS_TWO_STARS_OID
from bouquet.pki.errors import CertificateError
from bouquet.pki.x509 import best_rgs_level, parse_certificate, parse_pkcs12_public, rgs_rank


def test_it_parses_pem_der_and_pkcs12_alike(demo_pki):
    files = demo_pki.users["valid_rgs"]
    pem = files.cert.read_bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)
    from_pem = parse_certificate(pem)
    assert parse_certificate(der) == from_pem
    assert parse_certificate(files.p12.read_bytes(), demo_pki.password) == from_pem
    assert parse_pkcs12_public(files.p12.read_bytes(), demo_pki.password) == from_pem
    assert from_pem.der == der


def test_it_reads_the_fields(demo_pki):
    cert = parse_certificate(demo_pki.users["valid_rgs"].cert.read_bytes())
    assert cert.common_name == "Marie Durand"
    assert cert.email == "secretaire.vitteaux@demo.bouquet.test"
    assert "CN=Marie Durand" in cert.subject and "E=secretaire.vitteaux@demo.bouquet.test" in cert.subject
    assert "AC Agents RGS** (démo)" in cert.issuer
    assert len(cert.fingerprint_sha256) == 64 and cert.fingerprint_sha256 == cert.fingerprint_sha256.lower()
    assert len(cert.fingerprint_sha1) == 40
    assert cert.not_before.utcoffset().total_seconds() == 0 and cert.not_before < cert.not_after
    assert cert.key_usage == ("digital_signature",)
    assert cert.extended_key_usage == ("client_auth",)
    assert cert.policy_oids == (DEMO_RGS_TWO_STARS_OID,)
    assert cert.qualified is True


def test_it_sees_a_certificate_without_qc_statements_as_not_qualified(demo_pki):
    cert = parse_certificate(demo_pki.users["valid_non_rgs"].cert.read_bytes())
    assert (cert.qualified, cert.policy_oids) == (False, ())


@pytest.mark.parametrize(
    "data", [b"", b"garbage", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
)
def test_it_rejects_garbage_with_a_french_message(data):
    with pytest.raises(CertificateError, match="^Fichier de certificat illisible : "):
        parse_certificate(data)


def test_it_rejects_a_pkcs12_with_a_wrong_password(demo_pki):
    with pytest.raises(CertificateError, match="mot de passe"):
        parse_certificate(demo_pki.users["valid_rgs"].p12.read_bytes(), b"wrong")


def test_it_ranks_rgs_levels():
    assert rgs_rank("RGS***") > rgs_rank("RGS**") > rgs_rank("RGS*") > rgs_rank("") == rgs_rank("bogus")


def test_it_takes_the_best_level_from_the_table():
    table = {DEMO_RGS_ONE_STAR_OID: "RGS*", DEMO_RGS_TWO_STARS_OID: "RGS**"}
    assert best_rgs_level([DEMO_RGS_ONE_STAR_OID, DEMO_RGS_TWO_STARS_OID], table) == "RGS**"
    assert best_rgs_level(["1.2.3"], table) == ""
    assert best_rgs_level([], table) == ""


def test_it_follows_the_table_given(demo_pki):
    cert = parse_certificate(demo_pki.users["valid_rgs"].cert.read_bytes())
    assert cert.rgs_level({DEMO_RGS_TWO_STARS_OID: "RGS**"}) == "RGS**"
    assert cert.rgs_level({DEMO_RGS_TWO_STARS_OID: "RGS***"}) == "RGS***"
    assert cert.rgs_level({}) == ""
