from io import StringIO

from django.core.management import CommandError, call_command
from django.urls import reverse

from bouquet.api.models import ApiToken
from bouquet.core.models import JournalEntry

from .helpers import ApiTestCase


def run(*args) -> str:
    out = StringIO()
    call_command("api", "token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


class ApiTokenCommandTestCase(ApiTestCase):
    def create(self, name: str, email: str = "") -> str:
        email = email or self.alice.email
        return run("create", "--email", email, "--siren", self.authority_a.siren, "--name", name)

    def test_it_creates_a_token_printed_once(self):
        raw = run(
            "create",
            "--email",
            self.alice.email.upper(),
            "--siren",
            self.authority_a.siren,
            "--name",
            "webdelib",
        )
        token = ApiToken.objects.get(name="webdelib")
        self.assertTrue(raw.startswith("bqt_") and raw.startswith(token.prefix))
        self.assertEqual((token.user, token.authority), (self.alice, self.authority_a))
        self.assertTrue(
            JournalEntry.objects.filter(action="api.token_create", object_id=str(token.pk)).exists()
        )
        self.assertEqual(self.get(reverse("api:me"), token=raw).status_code, 200)
        self.assertIn("webdelib", run("list", "--siren", self.authority_a.siren))

    def test_it_refuses_an_account_without_that_membership(self):
        with self.assertRaisesMessage(CommandError, "Aucun compte actif"):
            self.create("x", self.charlie.email)

    def test_it_revokes_a_token(self):
        raw = run(
            "create", "--email", self.alice.email, "--siren", self.authority_a.siren, "--name", "pastell"
        )
        token = ApiToken.objects.get(name="pastell")
        self.assertIn("révoqué", run("revoke", token.prefix))
        self.assertEqual(self.get(reverse("api:me"), token=raw).status_code, 401)
        self.assertTrue(JournalEntry.objects.filter(action="api.token_revoke").exists())
