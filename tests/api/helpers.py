"""Shared pieces of the API tests: tokens for the base users, request helpers, certificate headers."""

from django.core.files.uploadedfile import SimpleUploadedFile

from bouquet.api.services.create_api_token import create_api_token
from bouquet.core.audit import Actor
from bouquet.pki.middleware import clear_validation_cache
from bouquet.pki.services import import_certificate
from bouquet.pki.testing import demo_pki_for_tests, install_demo_trust
from tests.actes.services.helpers import PDF, PNG, ActesTestCase

__all__ = ["PDF", "PNG", "ApiTestCase", "upload"]


def upload(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def token_for(user, authority, name: str = "logiciel") -> str:
    return create_api_token(email=user.email, siren=authority.siren, name=name, actor=Actor.system()).raw


class ApiTestCase(ActesTestCase):
    """ActesTestCase + one token per base user (alice TT, cecile CS, bob read-only, charlie of B)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.token_alice = token_for(cls.alice, cls.authority_a)
        cls.token_cecile = token_for(cls.cecile, cls.authority_a)
        cls.token_bob = token_for(cls.bob, cls.authority_a)
        cls.token_charlie = token_for(cls.charlie, cls.authority_b)

    def call(self, method: str, url: str, token: str | None = None, headers=None, **kwargs):
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return getattr(self.client, method)(url, headers=headers, **kwargs)

    def get(self, url: str, token: str | None = None, **kwargs):
        return self.call("get", url, token if token is not None else self.token_alice, **kwargs)

    def post(self, url: str, token: str | None = None, **kwargs):
        return self.call("post", url, token if token is not None else self.token_alice, **kwargs)

    def assert_error(self, response, status: int, code: str, text: str = "") -> dict:
        self.assertEqual(response.status_code, status, response.content[:500])
        body = response.json()
        self.assertEqual(body["code"], code, body)
        self.assertIn(text, body["detail"])
        return body


class CertificateMixin:
    """Trusts the demo PKI; ``cert_headers(name)`` is what nginx forwards for that demo certificate."""

    def setUp(self):
        super().setUp()
        self.demo = demo_pki_for_tests()
        install_demo_trust(self.demo)
        clear_validation_cache()
        self.addCleanup(clear_validation_cache)

    def bind(self, name: str, *users) -> None:
        import_certificate(data=self.demo.users[name].cert.read_bytes(), actor=None, bind_to=list(users))

    def cert_headers(self, name: str) -> dict[str, str]:
        pem = self.demo.users[name].cert.read_text()
        return {"X-SSL-Client-Cert": pem.replace("\n", "%0A").replace(" ", "%20")}
