from django.core import mail
from django.urls import reverse

from bouquet.core.choices import AuthorityKind
from bouquet.core.models import JournalEntry
from bouquet.support.choices import ServiceStatus
from bouquet.support.errors import RightsError, RuleError
from bouquet.support.models import OnDemandService, ServiceInterest
from bouquet.support.services.catalogue import (
    interest_count,
    open_service,
    register_interest,
    withdraw_interest,
)
from bouquet.test import make_authority

from .helpers import SupportTestCase, make_agent


class CatalogueBase(SupportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.service = OnDemandService.objects.create(
            operator=cls.operator,
            code="arretes-deci",
            name="Génération des arrêtés DECI",
            summary="L'arrêté DECI à partir de l'inventaire des points d'eau.",
            threshold=3,
        )
        cls.authority_c = make_authority(
            cls.operator, "Syndicat C", "253100019", kind=AuthorityKind.SYNDICAT_FERME
        )
        cls.dave = make_agent("dave@c.example.test", cls.authority_c)

    def ask(self, authority, user):
        with self.captureOnCommitCallbacks(execute=True):
            return register_interest(service=self.service, authority=authority, user=user)


class CatalogueTestCase(CatalogueBase):
    def test_one_interest_per_authority_counted_against_the_threshold(self):
        self.ask(self.authority_a, self.alice)
        with self.assertRaisesMessage(RuleError, "déjà fait savoir son intérêt"):
            self.ask(self.authority_a, self.agents[0])
        self.ask(self.authority_b, self.charlie)
        self.assertEqual(interest_count(self.service), 2)
        self.assertEqual(mail.outbox, [])
        self.ask(self.authority_c, self.dave)  # the third reaches the threshold: staff are told
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), [self.olga.email, self.sam.email])
        self.assertIn("Seuil atteint", mail.outbox[0].subject)

    def test_an_interest_can_be_withdrawn_and_given_again(self):
        self.ask(self.authority_a, self.alice)
        withdraw_interest(service=self.service, authority=self.authority_a, user=self.agents[0])
        self.assertEqual(interest_count(self.service), 0)
        with self.assertRaisesMessage(RuleError, "n'a pas demandé ce service"):
            withdraw_interest(service=self.service, authority=self.authority_a, user=self.alice)
        self.ask(self.authority_a, self.alice)
        self.assertEqual(interest_count(self.service), 1)
        self.assertEqual(
            ServiceInterest.objects.filter(authority=self.authority_a).count(), 2
        )  # history kept
        self.assertEqual(
            list(JournalEntry.objects.filter(authority=self.authority_a).values_list("action", flat=True)),
            ["support.service.interest", "support.service.withdraw", "support.service.interest"],
        )

    def test_opening_tells_every_asking_authority_once(self):
        self.ask(self.authority_a, self.agents[0])
        self.ask(self.authority_b, self.charlie)
        self.ask(self.authority_c, self.dave)
        withdraw_interest(service=self.service, authority=self.authority_c, user=self.dave)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            notified = open_service(service=self.service, user=self.olga)
        self.assertEqual({i.authority for i in notified}, {self.authority_a, self.authority_b})
        # The agent who asked and the authority's admins; nobody of the syndicat that withdrew.
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), [self.agents[0].email, self.alice.email, self.charlie.email]
        )
        self.assertIn("Le service « Génération des arrêtés DECI » est ouvert", mail.outbox[0].subject)
        self.service.refresh_from_db()
        self.assertEqual((self.service.status, self.service.opened_by), (ServiceStatus.OPEN, self.olga))

        mail.outbox.clear()
        with self.assertRaisesMessage(RuleError, "déjà ouvert"):
            open_service(service=self.service, user=self.olga)
        # Even closed and opened again by hand, nobody is told twice.
        OnDemandService.objects.filter(pk=self.service.pk).update(status=ServiceStatus.PROPOSED)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(open_service(service=self.service, user=self.olga), [])
        self.assertEqual(mail.outbox, [])

    def test_nothing_is_asked_or_withdrawn_once_open(self):
        self.ask(self.authority_a, self.alice)
        open_service(service=self.service, user=self.olga)
        with self.assertRaisesMessage(RuleError, "déjà ouvert"):
            register_interest(service=self.service, authority=self.authority_b, user=self.charlie)
        with self.assertRaisesMessage(RuleError, "déjà ouvert"):
            withdraw_interest(service=self.service, authority=self.authority_a, user=self.alice)

    def test_rights(self):
        with self.assertRaisesMessage(RightsError, "consultation seule"):
            register_interest(service=self.service, authority=self.authority_a, user=self.bob)
        with self.assertRaises(RightsError):
            register_interest(service=self.service, authority=self.authority_b, user=self.alice)
        with self.assertRaisesMessage(RightsError, "réservée aux administrateurs"):
            open_service(service=self.service, user=self.sam)  # support staff, not admin
        with self.assertRaises(RightsError):
            open_service(service=self.service, user=self.alice)
        self.service.refresh_from_db()
        self.assertEqual(self.service.status, ServiceStatus.PROPOSED)


class CataloguePagesTestCase(CatalogueBase):
    def test_the_member_page_shows_the_count_and_the_authority_s_choice(self):
        register_interest(service=self.service, authority=self.authority_b, user=self.charlie)
        self.login(self.alice)
        response = self.client.get(reverse("support:catalogue"))
        self.assertContains(response, "1 collectivité intéressée sur 3 nécessaires")
        self.assertContains(response, "Nous sommes intéressés")
        response = self.client.post(reverse("support:service_interest", args=["arretes-deci"]), follow=True)
        self.assertContains(response, "Commune A est intéressée par « Génération des arrêtés DECI »")
        self.assertContains(response, "2 collectivités intéressées sur 3 nécessaires")
        self.assertContains(response, "Retirer notre demande")
        again = self.client.post(reverse("support:service_interest", args=["arretes-deci"]), follow=True)
        self.assertContains(again, "déjà fait savoir son intérêt")
        self.assertEqual(interest_count(self.service), 2)

    def test_bad_codes_and_read_only_accounts(self):
        self.login(self.alice)
        self.assertEqual(
            self.client.post(reverse("support:service_interest", args=["inconnu"])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("support:service_interest", args=["arretes-deci"])).status_code, 405
        )
        self.login(self.bob)
        self.assertNotContains(self.client.get(reverse("support:catalogue")), "Nous sommes intéressés")
        self.assertEqual(
            self.client.post(reverse("support:service_interest", args=["arretes-deci"])).status_code, 403
        )
        self.assertEqual(interest_count(self.service), 0)

    def test_staff_see_counts_and_only_admins_open(self):
        register_interest(service=self.service, authority=self.authority_b, user=self.charlie)
        self.login(self.sam)
        self.assertContains(self.client.get(reverse("support:operator_services")), "<td>1</td>", html=False)
        detail = self.client.get(reverse("support:operator_service_detail", args=["arretes-deci"]))
        self.assertContains(detail, "Commune B")
        self.assertContains(detail, "Seul un administrateur")
        self.assertEqual(
            self.client.post(reverse("support:operator_service_open", args=["arretes-deci"])).status_code, 403
        )
        self.login(self.olga)
        self.client.post(reverse("support:operator_service_open", args=["arretes-deci"]))
        self.service.refresh_from_db()
        self.assertTrue(self.service.is_open)

    def test_staff_change_the_threshold_with_checks(self):
        self.login(self.olga)
        url = reverse("support:operator_service_edit", args=["arretes-deci"])
        self.client.post(url, {"threshold": "0", "summary": "x"})
        self.client.post(url, {"threshold": "abc", "summary": "x"})
        self.service.refresh_from_db()
        self.assertEqual(self.service.threshold, 3)
        self.client.post(url, {"threshold": "12", "summary": "Nouveau résumé"})
        self.service.refresh_from_db()
        self.assertEqual((self.service.threshold, self.service.summary), (12, "Nouveau résumé"))

    def test_members_get_403_on_the_operator_pages(self):
        self.login(self.alice)
        for name in ("support:operator_services", "support:operator_home"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("support:operator_service_open", args=["arretes-deci"])).status_code, 403
        )
