"""Tenant isolation over every URL the project registers.

The URL list is read from the URL configuration. A URL that takes parameters must say, in
OBJECT_URLS below, how to point it at an object of authority B; a new one that does not
makes this test fail, so no object page can ship without an isolation check.
"""

import importlib
import importlib.util

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bouquet.core.models import Siret
from bouquet.test import BaseTestCase

# URL name → function(test case) returning the kwargs that designate an object of authority B.
OBJECT_URLS = {
    "web:operator_member_detail": lambda t: {"pk": t.authority_b.pk},
    "pki:operator_certificate_detail": lambda t: {"pk": t.certificate_b.pk},
    "api:transaction_detail": lambda t: {"pk": t.api_act_b.pk},
    "api:transaction_files": lambda t: {"pk": t.api_act_b.pk},
    "api:transaction_file": lambda t: {"pk": t.api_act_b.pk, "file_id": t.api_file_b.pk},
    "api:transaction_post": lambda t: {"pk": t.api_act_b.pk},
    "api:transaction_cancel": lambda t: {"pk": t.api_act_b.pk},
    "api:letter_answer": lambda t: {"pk": t.api_letter_b.pk},
    "api:letter_read": lambda t: {"pk": t.api_letter_b.pk},
    "actes:detail": lambda t: {"pk": t.api_act_b.pk},
    "actes:file": lambda t: {"pk": t.api_act_b.pk, "file_id": t.api_file_b.pk},
    "actes:ar": lambda t: {"pk": t.api_act_b.pk},
    "actes:stamped": lambda t: {"pk": t.api_act_b.pk},
    "actes:bordereau": lambda t: {"pk": t.api_act_b.pk},
    "actes:cancel": lambda t: {"pk": t.api_act_b.pk},
    "actes:teletransmit": lambda t: {"pk": t.api_act_b.pk},
    "actes:answer": lambda t: {"pk": t.api_letter_b.pk},
    "actes:operator_detail": lambda t: {"pk": t.api_act_b.pk},
    "actes:operator_retry": lambda t: {"pk": t.inbound_b.pk},
}
# Parameters that name no member object (a module slug…): checked only for leaks.
NON_TENANT_URLS = {
    "web:module_dashboard": lambda t: {"module": "actes"},
}
# Public pages for anonymous visitors (a published consultation names its buyer, B included):
# only the private data of B (its users' e-mails) is checked there.
PUBLIC_URLS: set[str] = set()

# Each context declares its own URLs in tests/<context>/isolation.py: OBJECT_URLS,
# NON_TENANT_URLS, PUBLIC_URLS (all optional) and objects_for_b(cls), which creates on the test
# class the objects of authority B that its OBJECT_URLS point at.
EXTENSIONS = [
    "tests.helios.isolation",
    "tests.helios.isolation_api",
    "tests.backoffice.isolation",
    "tests.support.isolation",
    "tests.marches.isolation",
    "tests.marches_bids.isolation",
    "tests.marches_contracts.isolation",
]
_extensions = [importlib.import_module(n) for n in EXTENSIONS if importlib.util.find_spec(n) is not None]
for _ext in _extensions:
    OBJECT_URLS |= getattr(_ext, "OBJECT_URLS", {})
    NON_TENANT_URLS |= getattr(_ext, "NON_TENANT_URLS", {})
    PUBLIC_URLS |= getattr(_ext, "PUBLIC_URLS", set())

# Pages whose whole purpose is the operator's view of every member (/operateur/…, and a module's
# own operator pages such as /actes/operateur/…): members get 403 there.
OPERATOR_PREFIX = "/operateur/"


def body(response) -> bytes:
    """The whole body, streamed responses (file downloads, zips) included."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def walk(patterns, prefix="", namespace=""):
    """Yield (qualified name, route, pattern) for every leaf pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, prefix + str(entry.pattern), entry


class TenantIsolationTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.siret_b = Siret.objects.create(
            authority=cls.authority_b, siret="21020001000014", label="Budget B"
        )
        cls.certificate_b = cls._certificate_for(cls.charlie)
        cls._api_objects_for_b()
        for ext in _extensions:
            if hasattr(ext, "objects_for_b"):
                ext.objects_for_b(cls)

    @classmethod
    def _api_objects_for_b(cls):
        """An act of authority B waiting to be posted, with its file, and a préfecture letter about it."""
        from bouquet.actes.models import StoredFile, Transaction, TransactionFile

        cls.api_act_b = Transaction.objects.create(
            authority=cls.authority_b, type=1, status=17, nature=1, number="2025_B001", subject="Acte B"
        )
        stored = StoredFile.objects.create(sha256="c" * 64, size=4, path="isolation/b")
        cls.api_file_b = TransactionFile.objects.create(
            transaction=cls.api_act_b, stored_file=stored, original_name="b.pdf", size=4, role="main"
        )
        cls.api_letter_b = Transaction.objects.create(
            authority=cls.authority_b, type=3, status=7, related=cls.api_act_b, subject="Courrier B"
        )
        # A ministry mail in error about B (the operator's error queue of the ACTES pages).
        from bouquet.actes.models import InboundMessage

        raw = StoredFile.objects.create(sha256="d" * 64, size=4, path="isolation/mail-b")
        cls.inbound_b = InboundMessage.objects.create(
            key="<b@ministere.test>", sha256="d" * 64, state="error", raw=raw, authority=cls.authority_b
        )

    @classmethod
    def _certificate_for(cls, user):
        from bouquet.pki.models import Certificate

        return Certificate.objects.create(
            fingerprint_sha256="b" * 64,
            fingerprint_sha1="b" * 40,
            subject="CN=Charlie B",
            common_name="Charlie B",
            email=user.email,
            issuer="CN=AC test",
            serial_hex="0b",
            not_before="2025-01-01T00:00:00Z",
            not_after="2030-01-01T00:00:00Z",
            der=b"\x30\x00",
        )

    def _patterns(self):
        return list(walk(get_resolver().url_patterns))

    def test_every_parametrised_url_is_declared(self):
        missing = [
            route
            for name, route, pattern in self._patterns()
            if pattern.pattern.converters and name not in OBJECT_URLS | NON_TENANT_URLS
        ]
        self.assertEqual(missing, [], "declare these URLs in OBJECT_URLS with an object of authority B")
        unnamed = [route for name, route, _ in self._patterns() if name is None]
        self.assertEqual(unnamed, [], "every URL needs a name so that this test can reach it")

    def test_a_user_of_authority_a_gets_404_for_every_object_of_authority_b(self):
        self.login(self.alice)
        checked = 0
        for name, _route, _pattern in self._patterns():
            if name not in OBJECT_URLS:
                continue
            url = reverse(name, kwargs=OBJECT_URLS[name](self))
            expected = 403 if OPERATOR_PREFIX in url else 404
            for method in ("get", "post"):
                response = getattr(self.client, method)(url)
                with self.subTest(url=url, method=method):
                    self.assertIn(response.status_code, {expected, 405}, body(response)[:300])
                    self.assertNotIn(self.authority_b.siren.encode(), body(response))
            checked += 1
        self.assertEqual(checked, len(OBJECT_URLS))

    def test_no_other_page_shows_authority_b_to_a_user_of_a(self):
        self.login(self.alice)
        for name, route, _pattern in self._patterns():
            if name is None or name in OBJECT_URLS:
                continue
            kwargs = NON_TENANT_URLS[name](self) if name in NON_TENANT_URLS else {}
            content = body(self.client.get(reverse(name, kwargs=kwargs)))
            with self.subTest(url=route):
                self.assertNotIn(self.charlie.email.encode(), content)
                if name in PUBLIC_URLS:
                    continue
                self.assertNotIn(self.authority_b.siren.encode(), content)
                self.assertNotIn(self.siret_b.siret.encode(), content)
                self.assertNotIn(self.authority_b.name.encode(), content)
