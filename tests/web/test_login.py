from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import override_settings

from bouquet.core.models import JournalEntry, User
from bouquet.test import PASSWORD, BaseTestCase
from tests.web.html import assert_clean_page


class LoginTestCase(BaseTestCase):
    url = "/connexion/"

    def post(self, email: str, password: str, **extra):
        return self.client.post(self.url, {"email": email, "password": password, **extra})

    def test_it_shows_the_form(self):
        r = self.client.get(self.url)
        self.assertContains(r, "Adresse e-mail")
        self.assertContains(r, 'for="id_password"')
        self.assertContains(r, 'href="https://localhost:8443/connexion/certificat/"')
        assert_clean_page(self, r)

    @override_settings(PUBLIC_TLS_URL="https://bouquet.example.test")
    def test_it_builds_the_certificate_link_from_the_setting(self):
        r = self.client.get(self.url)
        self.assertContains(r, 'href="https://bouquet.example.test/connexion/certificat/"')

    def test_it_logs_in(self):
        r = self.post("ALICE@a.example.test", PASSWORD)
        self.assertRedirects(r, "/")
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.alice.pk)
        entry = JournalEntry.objects.get(action="login.success")
        self.assertEqual(entry.actor_user, self.alice)
        self.assertEqual(entry.details, {"method": "password"})

    def test_it_follows_a_safe_next(self):
        r = self.post("alice@a.example.test", PASSWORD, next="/actes/")
        self.assertRedirects(r, "/actes/")

    def test_it_ignores_an_external_next(self):
        r = self.post("alice@a.example.test", PASSWORD, next="https://evil.example/")
        self.assertRedirects(r, "/")

    def test_it_rejects_a_wrong_password(self):
        r = self.post("alice@a.example.test", "wrong")
        self.assertContains(r, "Adresse e-mail ou mot de passe incorrect.")
        self.assertNotIn(SESSION_KEY, self.client.session)
        entry = JournalEntry.objects.get(action="login.failure")
        self.assertEqual(entry.actor_kind, "system")
        self.assertEqual(entry.details, {"email": "alice@a.example.test", "reason": "password"})

    def test_it_gives_the_same_message_for_an_unknown_email(self):
        r = self.post("nobody@example.test", "wrong")
        self.assertContains(r, "Adresse e-mail ou mot de passe incorrect.")

    def test_it_locks_after_max_failures(self):
        for _ in range(settings.LOGIN_MAX_FAILURES - 1):
            self.assertContains(self.post("alice@a.example.test", "wrong"), "mot de passe incorrect")
        r = self.post("alice@a.example.test", "wrong")
        self.assertContains(r, "Compte verrouillé après plusieurs échecs. Réessayez après ")
        self.assertTrue(JournalEntry.objects.filter(action="login.locked").exists())
        # Even the right password is refused while locked.
        r = self.post("alice@a.example.test", PASSWORD)
        self.assertContains(r, "Compte verrouillé")
        self.assertRegex(r.content.decode(), r"Réessayez après \d\d:\d\d\.")
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(
            JournalEntry.objects.filter(action="login.failure", details__reason="locked").count(), 1
        )

    def test_it_redirects_an_authenticated_user(self):
        self.login(self.alice)
        self.assertRedirects(self.client.get(self.url), "/")

    def test_it_refuses_an_inactive_user(self):
        User.objects.filter(pk=self.bob.pk).update(is_active=False)
        r = self.post("bob@a.example.test", PASSWORD)
        self.assertContains(r, "Adresse e-mail ou mot de passe incorrect.")


class LogoutTestCase(BaseTestCase):
    def test_it_requires_post(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/deconnexion/").status_code, 405)
        self.assertIn(SESSION_KEY, self.client.session)

    def test_it_logs_out(self):
        self.login(self.alice)
        r = self.client.post("/deconnexion/")
        self.assertRedirects(r, "/connexion/")
        self.assertNotIn(SESSION_KEY, self.client.session)
