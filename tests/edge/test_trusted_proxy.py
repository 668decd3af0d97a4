"""The certificate header is believed only from TRUSTED_PROXIES; checked without any network."""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from bouquet.pki.middleware import ClientCertificateMiddleware
from bouquet.s2low_api.auth import s2low_auth

pytestmark = pytest.mark.django_db


def header_of(demo_pki, name: str) -> str:
    return demo_pki.users[name].cert.read_text().replace("\n", "%0A").replace(" ", "%20")


def test_it_ignores_the_header_from_an_untrusted_address(accounts, demo_pki):
    client = Client(REMOTE_ADDR="10.0.0.9", HTTP_X_SSL_CLIENT_CERT=header_of(demo_pki, "valid_rgs"))
    body = client.get("/api/test-connexion.php").content.decode("iso-8859-1")
    assert body.startswith("KO\n") and "Aucun certificat" in body


def test_it_believes_the_header_from_the_proxy(accounts, demo_pki):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_SSL_CLIENT_CERT=header_of(demo_pki, "valid_rgs"))
    assert client.get("/api/test-connexion.php").content == b"OK"


def test_it_demands_the_proxy_secret_when_one_is_configured(accounts, demo_pki, settings):
    settings.TRUSTED_PROXY_SECRET = "s3cret-of-the-proxy"
    cert = header_of(demo_pki, "valid_rgs")
    for presented in (None, "wrong-secret"):
        extra = {"HTTP_X_BOUQUET_PROXY_SECRET": presented} if presented else {}
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_SSL_CLIENT_CERT=cert, **extra)
        assert "Aucun certificat" in client.get("/api/test-connexion.php").content.decode("iso-8859-1")
    client = Client(
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_SSL_CLIENT_CERT=cert,
        HTTP_X_BOUQUET_PROXY_SECRET="s3cret-of-the-proxy",
    )
    assert client.get("/api/test-connexion.php").content == b"OK"


def test_it_reports_a_garbled_header_as_unreadable(accounts):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_SSL_CLIENT_CERT="-----BEGIN%20CERTIFICATE-----%0Azzz")
    assert client.get("/api/test-connexion.php").content.startswith(b"KO\n")


def test_it_requires_rgs_for_teletransmission(accounts, demo_pki, settings):
    @s2low_auth(transmission=True)
    def transmit(request):
        return HttpResponse("OK")

    def call(name: str) -> bytes:
        request = RequestFactory().get(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_SSL_CLIENT_CERT=header_of(demo_pki, name)
        )
        return ClientCertificateMiddleware(transmit)(request).content

    assert call("valid_rgs") == b"OK"
    settings.PKI_TRANSMISSION_REQUIRED_RGS = "RGS***"
    assert "RGS***" in call("valid_rgs").decode("iso-8859-1")
    settings.PKI_TRANSMISSION_REQUIRED_RGS = "RGS**"
    body = call("valid_non_rgs").decode("iso-8859-1")
    assert body.startswith("KO\n") and "RGS**" in body
