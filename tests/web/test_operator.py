from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bouquet.core.choices import AuthorityKind, AuthorityStatus, Role
from bouquet.core.models import Authority, JournalEntry, Membership, Siret, User
from bouquet.test import BaseTestCase, make_authority, make_operator, make_user
from tests.web.html import assert_clean_page

PAGES = ["/operateur/", "/operateur/collectivites/", "/operateur/utilisateurs/"]


class OperatorAccessTestCase(BaseTestCase):
    def test_it_redirects_anonymous_users_to_login(self):
        for url in PAGES + [f"/operateur/collectivites/{self.authority_a.pk}/"]:
            self.assertRedirects(self.client.get(url), f"/connexion/?next={url}")

    def test_it_is_403_for_members(self):
        self.login(self.alice)
        for url in PAGES + [f"/operateur/collectivites/{self.authority_a.pk}/"]:
            r = self.client.get(url)
            self.assertContains(
                r, "Cette page est réservée à l&#x27;équipe de l&#x27;opérateur.", status_code=403
            )
            assert_clean_page(self, r)

    def test_it_serves_admin_and_support_staff(self):
        for user in (self.olga, self.sam):
            self.login(user)
            for url in PAGES:
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200, url)
                assert_clean_page(self, r)

    def test_it_counts_members_on_the_dashboard(self):
        make_authority(self.operator, "CC Test", "200000172", kind=AuthorityKind.COMMUNAUTE_COMMUNES)
        self.login(self.sam)
        r = self.client.get("/operateur/")
        self.assertContains(r, '<p class="figure">3</p>', html=True)
        self.assertContains(r, "<li><span>Commune</span> <strong>2</strong></li>", html=True)
        self.assertContains(r, "<li><span>Communauté de communes</span> <strong>1</strong></li>", html=True)
        self.assertContains(r, "<li><span>Active</span> <strong>3</strong></li>", html=True)
        # alice, bob, charlie + olga and sam
        self.assertContains(r, '<p class="figure">5</p>', html=True)


class AuthorityListTestCase(BaseTestCase):
    url = "/operateur/collectivites/"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.epci = make_authority(
            cls.operator,
            "CC des Vallées",
            "200000172",
            kind=AuthorityKind.COMMUNAUTE_COMMUNES,
            arrondissement="2",
        )
        Authority.objects.filter(pk=cls.authority_a.pk).update(parent=cls.epci)
        Authority.objects.filter(pk=cls.authority_b.pk).update(status=AuthorityStatus.SUSPENDED)
        Siret.objects.create(authority=cls.authority_b, siret="21020001000015")
        # Another operator's member is never listed.
        make_authority(make_operator(), "Commune Ailleurs", "210400016")

    def names(self, response) -> list[str]:
        return [a.name for a in response.context["page"].object_list]

    def setUp(self):
        self.login(self.sam)

    def test_it_lists_the_operators_members(self):
        r = self.client.get(self.url)
        self.assertEqual(self.names(r), ["CC des Vallées", "Commune A", "Commune B"])
        self.assertContains(r, f'href="/operateur/collectivites/{self.authority_a.pk}/"')

    def test_it_searches_by_name_siren_siret_and_member_commune(self):
        self.assertEqual(self.names(self.client.get(self.url, {"q": "commune b"})), ["Commune B"])
        self.assertEqual(self.names(self.client.get(self.url, {"q": "2101"})), ["Commune A"])
        self.assertEqual(self.names(self.client.get(self.url, {"q": "21020001000015"})), ["Commune B"])
        # A commune's name also finds the EPCI it belongs to.
        self.assertEqual(
            self.names(self.client.get(self.url, {"q": "Commune A"})), ["CC des Vallées", "Commune A"]
        )
        self.assertEqual(self.names(self.client.get(self.url, {"q": "Ailleurs"})), [])

    def test_it_filters_by_kind_status_and_arrondissement(self):
        self.assertEqual(self.names(self.client.get(self.url, {"kind": "44"})), ["CC des Vallées"])
        self.assertEqual(self.names(self.client.get(self.url, {"status": "suspended"})), ["Commune B"])
        self.assertEqual(
            self.names(self.client.get(self.url, {"arrondissement": "1"})), ["Commune A", "Commune B"]
        )
        self.assertEqual(
            self.names(self.client.get(self.url, {"arrondissement": "1", "status": "active"})), ["Commune A"]
        )

    def test_it_paginates_and_keeps_the_query_string(self):
        for i in range(30):
            make_authority(
                self.operator, f"Village {i:02d}", f"2199{i:04d}0"
            )  # SIRENs are not validated here
        r = self.client.get(self.url, {"q": "Village"})
        self.assertEqual(len(r.context["page"].object_list), 25)
        self.assertContains(r, 'href="?q=Village&amp;page=2"')
        r = self.client.get(self.url, {"q": "Village", "page": 2})
        self.assertEqual(self.names(r), [f"Village {i}" for i in range(25, 30)])
        self.assertContains(r, "Page 2 sur 2")

    def test_it_does_not_query_per_row(self):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.client.get(self.url)
            return len(queries)

        before = count()
        for i in range(5):
            child = make_authority(self.operator, f"Village {i}", f"21990{i}000", parent=self.epci)
            Membership.objects.create(user=User.objects.create(email=f"v{i}@example.test"), authority=child)
        self.assertEqual(count(), before)


class AuthorityDetailTestCase(BaseTestCase):
    def url(self, authority) -> str:
        return f"/operateur/collectivites/{authority.pk}/"

    def test_it_shows_the_member_and_journals_the_access(self):
        Siret.objects.create(authority=self.authority_a, siret="21010001200017", label="Budget eau")
        self.login(self.sam)
        r = self.client.get(self.url(self.authority_a))
        self.assertContains(r, "<h1>Commune A</h1>", html=True)
        self.assertContains(r, "21010001200017 — Budget eau")
        self.assertContains(r, "alice@a.example.test")
        self.assertContains(r, "Administrateur de la collectivité")
        self.assertContains(r, "ACTES : lecture et écriture, CS, TT")
        self.assertContains(r, "ACTES : lecture")
        self.assertContains(r, "Marchés publics")
        assert_clean_page(self, r)
        entry = JournalEntry.objects.get(action="operator.view")
        self.assertEqual((entry.actor_user, entry.authority), (self.sam, self.authority_a))

    def test_it_is_404_for_another_operators_member(self):
        other = make_authority(make_operator(), "Commune Ailleurs", "210400016")
        self.login(self.olga)
        self.assertEqual(self.client.get(self.url(other)).status_code, 404)
        self.assertFalse(JournalEntry.objects.filter(action="operator.view").exists())


class UserListTestCase(BaseTestCase):
    url = "/operateur/utilisateurs/"

    def setUp(self):
        self.login(self.olga)

    def emails(self, response) -> list[str]:
        return [u.email for u in response.context["page"].object_list]

    def test_it_lists_users_with_their_authorities_and_roles(self):
        Membership.objects.create(user=self.charlie, authority=self.authority_a, role=Role.AGENT)
        make_user("stranger@elsewhere.test", make_authority(make_operator(), "Commune Ailleurs", "210400016"))
        r = self.client.get(self.url)
        self.assertEqual(len(self.emails(r)), 5)
        self.assertNotIn("stranger@elsewhere.test", self.emails(r))
        self.assertContains(r, "Commune A</a> — Agent")
        self.assertContains(r, "Commune B</a> — Administrateur de la collectivité")
        self.assertContains(r, "Assistance de l&#x27;opérateur")

    def test_it_searches(self):
        self.assertEqual(self.emails(self.client.get(self.url, {"q": "charlie"})), ["charlie@b.example.test"])
        self.assertEqual(
            self.emails(self.client.get(self.url, {"q": "OPERATEUR.example"})),
            ["olga@operateur.example.test", "sam@operateur.example.test"],
        )

    def test_it_paginates(self):
        # Without passwords: hashing 30 of them would dominate the test's run time.
        for i in range(30):
            user = User.objects.create(
                email=f"user{i:02d}@a.example.test", first_name="U", last_name=f"{i:02d}"
            )
            Membership.objects.create(user=user, authority=self.authority_a)
        r = self.client.get(self.url, {"q": "user"})
        self.assertEqual(len(self.emails(r)), 25)
        self.assertContains(r, 'href="?q=user&amp;page=2"')
        self.assertEqual(len(self.emails(self.client.get(self.url, {"q": "user", "page": "2"}))), 5)


class OperatorDashboardTestCase(BaseTestCase):
    def test_it_links_to_the_certificates_page_when_it_exists(self):
        try:
            url = reverse("pki:operator_certificates")
        except NoReverseMatch:
            self.skipTest("the PKI app has no operator certificates page yet")
        self.login(self.olga)
        r = self.client.get("/operateur/")
        self.assertContains(r, f'href="{url}"')
        self.assertContains(r, "Certificats qui expirent dans les 90 jours")
