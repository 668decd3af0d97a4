from datetime import date

from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.core.middleware import SESSION_KEY
from bouquet.core.models import Authority, Membership, ModuleRight, Siret, Subscription
from bouquet.test import BaseTestCase, make_authority, make_user
from tests.web.html import assert_clean_page


class HomeTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Commune C subscribes to ACTES only; one of them ended last year.
        cls.authority_c = make_authority(cls.operator, "Commune C", "210300018")
        Subscription.objects.create(
            authority=cls.authority_c, module=cls.modules[ModuleCode.ACTES], start_date=date(2025, 3, 1)
        )
        Subscription.objects.create(
            authority=cls.authority_c,
            module=cls.modules[ModuleCode.HELIOS],
            start_date=date(2020, 1, 1),
            end_date=date(2021, 1, 1),
        )
        Siret.objects.create(authority=cls.authority_c, siret="21030001800013", label="Budget principal")
        cls.dora = make_user(
            "dora@c.example.test",
            cls.authority_c,
            Role.AGENT,
            {ModuleCode.ACTES: (Access.WRITE, True, False)},
        )

    def test_it_requires_login(self):
        self.assertRedirects(self.client.get("/"), "/connexion/?next=/")

    def test_it_shows_only_subscribed_modules(self):
        self.login(self.dora)
        r = self.client.get("/")
        self.assertContains(r, "<h1>Commune C</h1>", html=True)
        self.assertContains(r, "Actes (contrôle de légalité)")
        self.assertNotContains(r, "Hélios")
        self.assertNotContains(r, "Marchés publics")
        self.assertContains(r, "Abonnement depuis le 1er mars 2025")
        self.assertContains(r, "21030001800013")
        assert_clean_page(self, r)

    def test_it_states_rights_in_words(self):
        self.login(self.dora)
        self.assertContains(self.client.get("/"), "Vous pouvez préparer, mais pas télétransmettre.")
        self.login(self.alice)
        r = self.client.get("/")
        self.assertContains(r, "Vous pouvez préparer et télétransmettre.")
        self.assertContains(r, "Vous n&#x27;avez pas accès à ce module.")  # MARCHES: no right given
        self.login(self.bob)
        self.assertContains(self.client.get("/"), "Vous pouvez consulter, sans rien modifier.")

    def test_it_lists_in_the_nav_only_modules_the_user_may_read(self):
        self.login(self.dora)
        r = self.client.get("/")
        self.assertContains(r, 'href="/actes/"')
        self.assertNotContains(r, 'href="/helios/"')
        self.login(self.alice)
        r = self.client.get("/")
        self.assertContains(r, 'href="/helios/"')
        self.assertNotContains(r, 'href="/marches/"')

    def test_it_marks_the_current_nav_link(self):
        self.login(self.alice)
        self.assertContains(self.client.get("/"), '<a href="/" aria-current="page">Accueil</a>', html=True)

    def test_it_links_operator_staff_to_their_area(self):
        self.login(self.olga)
        r = self.client.get("/")
        self.assertContains(r, 'href="/operateur/"')
        assert_clean_page(self, r)
        self.login(self.alice)
        self.assertNotContains(self.client.get("/"), 'href="/operateur/"')

    def test_it_explains_an_account_without_authority(self):
        self.login(make_user("lost@example.test"))
        self.assertContains(self.client.get("/"), "aucune collectivité active")


class ModuleDashboardTestCase(BaseTestCase):
    def test_it_requires_login(self):
        self.assertRedirects(self.client.get("/actes/"), "/connexion/?next=/actes/")

    def test_it_shows_the_module(self):
        self.login(self.alice)
        r = self.client.get("/actes/")
        self.assertContains(r, "contrôle de légalité de la préfecture")
        self.assertContains(r, "Vous pouvez préparer et télétransmettre.")
        self.assertContains(r, '<a href="/actes/" aria-current="page">', html=False)
        assert_clean_page(self, r)

    def test_it_is_403_without_read_access(self):
        self.login(self.alice)  # subscribed to MARCHES but no right on it
        r = self.client.get("/marches/")
        self.assertEqual(r.status_code, 403)
        self.assertContains(r, "Accès refusé", status_code=403)
        assert_clean_page(self, r)

    def test_it_is_403_with_access_none(self):
        membership = Membership.objects.get(user=self.bob)
        ModuleRight.objects.create(
            membership=membership, module=self.modules[ModuleCode.MARCHES], access=Access.NONE
        )
        self.login(self.bob)
        self.assertEqual(self.client.get("/marches/").status_code, 403)

    def test_it_is_404_when_not_subscribed(self):
        Subscription.objects.filter(authority=self.authority_a, module__code=ModuleCode.HELIOS).delete()
        self.login(self.alice)
        r = self.client.get("/helios/")
        self.assertEqual(r.status_code, 404)
        self.assertContains(r, "Page introuvable", status_code=404)
        assert_clean_page(self, r)

    def test_it_is_404_for_unknown_modules(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/parapheur/").status_code, 404)


class SwitchAuthorityTestCase(BaseTestCase):
    url = "/collectivite/"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Membership.objects.create(user=cls.alice, authority=cls.authority_b, role=Role.AGENT)

    def test_it_requires_post(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_it_switches_to_an_own_authority(self):
        self.login(self.alice)
        self.assertContains(self.client.get("/"), "<h1>Commune A</h1>", html=True)
        r = self.client.post(self.url, {"authority_id": self.authority_b.pk, "next": "/"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.session[SESSION_KEY], self.authority_b.pk)
        r = self.client.get("/")
        self.assertContains(r, "<h1>Commune B</h1>", html=True)
        self.assertContains(r, "Vous travaillez maintenant pour : Commune B.")

    def test_it_is_404_for_another_users_authority(self):
        self.login(self.bob)
        r = self.client.post(self.url, {"authority_id": self.authority_b.pk})
        self.assertEqual(r.status_code, 404)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_is_404_for_an_inactive_membership(self):
        Membership.objects.filter(user=self.alice, authority=self.authority_b).update(is_active=False)
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url, {"authority_id": self.authority_b.pk}).status_code, 404)

    def test_it_is_404_for_a_suspended_authority(self):
        Authority.objects.filter(pk=self.authority_b.pk).update(status="suspended")
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url, {"authority_id": self.authority_b.pk}).status_code, 404)

    def test_it_is_404_for_garbage(self):
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url, {"authority_id": "x"}).status_code, 404)

    def test_it_ignores_an_external_next(self):
        self.login(self.alice)
        r = self.client.post(self.url, {"authority_id": self.authority_b.pk, "next": "https://evil.example/"})
        self.assertRedirects(r, "/")

    def test_it_lists_only_own_authorities_in_the_switcher(self):
        self.login(self.bob)
        r = self.client.get("/")
        self.assertContains(
            r, f'<option value="{self.authority_a.pk}" selected>Commune A</option>', html=True
        )
        self.assertNotContains(r, "Commune B")
