from django.test import override_settings
from django.urls import include, path

from bouquet.test import BaseTestCase
from tests.web.html import assert_clean_page


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), path("", include("bouquet.config.urls"))]


class PageSkeletonTestCase(BaseTestCase):
    """Every page: one <h1>, the skip link, lang="fr", CSP header and no inline script or style."""

    def test_it_holds_for_anonymous_pages(self):
        for url in ["/connexion/"]:
            assert_clean_page(self, self.client.get(url))

    def test_it_holds_for_member_pages(self):
        self.login(self.alice)
        for url in ["/", "/actes/", "/helios/", "/compte/double-authentification/"]:
            r = self.client.get(url)
            self.assertEqual(r.status_code, 200, url)
            assert_clean_page(self, r)

    def test_it_holds_for_operator_pages(self):
        self.login(self.olga)
        urls = ["/", "/operateur/", "/operateur/collectivites/", "/operateur/utilisateurs/"]
        for url in urls + [f"/operateur/collectivites/{self.authority_a.pk}/"]:
            r = self.client.get(url)
            self.assertEqual(r.status_code, 200, url)
            assert_clean_page(self, r)

    def test_it_has_a_labelled_authority_switcher_and_a_post_logout(self):
        self.login(self.alice)
        r = self.client.get("/")
        self.assertContains(r, '<label for="switcher-authority">Collectivité</label>', html=True)
        self.assertContains(r, '<form method="post" action="/deconnexion/">')
        self.assertContains(r, '<form class="switcher" method="post" action="/collectivite/">')

    def test_it_serves_a_french_404(self):
        r = self.client.get("/nulle-part/")
        self.assertContains(r, "Page introuvable", status_code=404)
        assert_clean_page(self, r)


@override_settings(ROOT_URLCONF="tests.web.test_pages")
class ServerErrorTestCase(BaseTestCase):
    def test_it_serves_a_french_500(self):
        self.client.raise_request_exception = False
        r = self.client.get("/boom/")
        self.assertContains(r, "Une erreur est survenue", status_code=500)
        assert_clean_page(self, r)
