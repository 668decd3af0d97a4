from cryptography import x509

from bouquet.pki.demo_pki import generate_demo_pki
from bouquet.pki.x509 import parse_certificate


def test_it_writes_every_file(demo_pki):
    for files in demo_pki.users.values():
        assert files.cert.exists() and files.key.exists() and files.p12.exists()
    for path in (
        demo_pki.ca_chain,
        demo_pki.server_cert,
        demo_pki.server_key,
        demo_pki.crl_der,
        demo_pki.crl_pem,
    ):
        assert path.exists()
    assert len(x509.load_pem_x509_certificates(demo_pki.ca_chain.read_bytes())) == 2


def test_it_gives_the_server_an_ip_address_san(demo_pki):
    cert = x509.load_pem_x509_certificate(demo_pki.server_cert.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]


def test_it_lists_the_revoked_certificate_in_the_crl(demo_pki):
    crl = x509.load_der_x509_crl(demo_pki.crl_der.read_bytes())
    revoked = parse_certificate(demo_pki.users["revoked"].cert.read_bytes())
    assert crl.get_revoked_certificate_by_serial_number(int(revoked.serial_hex, 16)) is not None
    assert len(crl) == 1


def test_it_reuses_valid_files(demo_pki):
    before = demo_pki.users["valid_rgs"].cert.read_bytes()
    again = generate_demo_pki(demo_pki.directory)
    assert again.users["valid_rgs"].cert.read_bytes() == before


def test_it_regenerates_for_other_hostnames(tmp_path):
    first = generate_demo_pki(tmp_path).root_cert.read_bytes()
    second = generate_demo_pki(tmp_path, hostnames=("bouquet.test",))
    assert second.root_cert.read_bytes() != first
    cert = x509.load_pem_x509_certificate(second.server_cert.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["bouquet.test"]
