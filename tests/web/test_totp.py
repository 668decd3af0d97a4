import time

from django.contrib.auth import SESSION_KEY

from bouquet.core import totp
from bouquet.core.models import JournalEntry, User
from bouquet.test import PASSWORD, BaseTestCase
from bouquet.web.views.auth import MAX_CODE_FAILURES, SETUP_KEY
from tests.web.html import assert_clean_page

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def now_code(secret: str = SECRET) -> str:
    return totp.code_at(secret, time.time())


def wrong_code(secret: str = SECRET) -> str:
    # A code outside the accepted window of ±1 step.
    return totp.code_at(secret, time.time() + 3600)


class TotpLoginTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        User.objects.filter(pk=cls.alice.pk).update(totp_secret=SECRET, totp_enabled=True)

    def password_step(self, next_url: str = ""):
        return self.client.post(
            "/connexion/", {"email": "alice@a.example.test", "password": PASSWORD, "next": next_url}
        )

    def test_it_asks_for_the_code_before_logging_in(self):
        r = self.password_step()
        self.assertRedirects(r, "/connexion/code/")
        self.assertNotIn(SESSION_KEY, self.client.session)
        r = self.client.get("/connexion/code/")
        self.assertContains(r, "Code à 6 chiffres")
        assert_clean_page(self, r)

    def test_it_logs_in_with_the_right_code(self):
        self.password_step("/helios/")
        r = self.client.post("/connexion/code/", {"code": now_code()})
        self.assertRedirects(r, "/helios/")
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.alice.pk)
        entry = JournalEntry.objects.get(action="login.success")
        self.assertEqual(entry.details, {"method": "password+totp"})

    def test_it_rejects_a_wrong_code(self):
        self.password_step()
        r = self.client.post("/connexion/code/", {"code": wrong_code()})
        self.assertContains(r, "Code incorrect. Il vous reste 4 essais.")
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertTrue(JournalEntry.objects.filter(action="login.failure", details__reason="totp").exists())

    def test_it_restarts_after_too_many_wrong_codes(self):
        self.password_step()
        for _ in range(MAX_CODE_FAILURES - 1):
            self.client.post("/connexion/code/", {"code": wrong_code()})
        r = self.client.post("/connexion/code/", {"code": wrong_code()})
        self.assertRedirects(r, "/connexion/")
        # The pending login is gone: even the right code no longer works.
        r = self.client.post("/connexion/code/", {"code": now_code()})
        self.assertRedirects(r, "/connexion/")
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_sends_the_code_page_back_to_step_one_without_a_password(self):
        self.assertRedirects(self.client.get("/connexion/code/"), "/connexion/")


class TotpSettingsTestCase(BaseTestCase):
    url = "/compte/double-authentification/"

    def test_it_requires_login(self):
        self.assertRedirects(self.client.get(self.url), f"/connexion/?next={self.url}")

    def test_it_enables_after_a_valid_code(self):
        self.login(self.bob)
        r = self.client.get(self.url)
        assert_clean_page(self, r)
        secret = self.client.session[SETUP_KEY]
        self.assertContains(r, "otpauth://totp/Bouquet:bob%40a.example.test?secret=" + secret)
        self.assertContains(r, secret[:4] + " " + secret[4:8])
        r = self.client.post(self.url, {"code": wrong_code(secret)})
        self.assertContains(r, "Code incorrect")
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.totp_enabled)
        r = self.client.post(self.url, {"code": now_code(secret)})
        self.assertRedirects(r, self.url)
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.totp_enabled)
        self.assertEqual(self.bob.totp_secret, secret)
        self.assertTrue(
            JournalEntry.objects.filter(action="account.totp_enabled", actor_user=self.bob).exists()
        )

    def test_it_disables_with_a_valid_code(self):
        User.objects.filter(pk=self.bob.pk).update(totp_secret=SECRET, totp_enabled=True)
        self.login(self.bob)
        self.assertContains(self.client.get(self.url), "Désactiver la double authentification")
        self.client.post(self.url, {"code": wrong_code()})
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.totp_enabled)
        self.assertRedirects(self.client.post(self.url, {"code": now_code()}), self.url)
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.totp_enabled)
        self.assertEqual(self.bob.totp_secret, "")
