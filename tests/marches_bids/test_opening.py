"""Opening: only authorised agents (MARCHES write right on the buyer authority), only after the deadline,
all at once or per lot; replaced and late deposits stay sealed."""

from datetime import timedelta

from django.urls import reverse

from bouquet.core.audit import Actor
from bouquet.marches.bids.errors import RightsError, TooEarly
from bouquet.marches.bids.models import DepositFile, Envelope
from bouquet.marches.bids.pdf.common import PARIS
from bouquet.marches.bids.services.opening import open_bids
from bouquet.marches.choices import Status
from bouquet.marches.models import ConsultationEvent
from tests.marches_bids.helpers import BidsTestCase, at, deposit


class OpeningTestCase(BidsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with at(cls.deadline - timedelta(hours=2)):
            cls.replaced = deposit(
                cls.consultation, cls.dupont, cls.routes, {"lot-1": [("v1.pdf", b"premier")]}
            )
        with at(cls.deadline - timedelta(hours=1)):
            cls.routes_bid = deposit(
                cls.consultation,
                cls.dupont,
                cls.routes,
                {
                    "candidature": [("dc1.pdf", b"candidature routes")],
                    "lot-1": [("o1.pdf", b"offre lot 1")],
                    "lot-2": [("o2.pdf", b"offre lot 2")],
                },
            )
            cls.bat_bid = deposit(
                cls.consultation,
                cls.martin,
                cls.batiments,
                {
                    "candidature": [("kbis.pdf", b"candidature bat")],
                    "lot-2": [("b2.pdf", b"offre bat lot 2")],
                },
            )
        with at(cls.deadline + timedelta(seconds=1)):
            cls.late = deposit(
                cls.consultation, cls.martin, cls.batiments, {"lot-1": [("tard.pdf", b"CONTENU-TARDIF")]}
            )

    def opened(self):
        return set(
            Envelope.objects.filter(opened_at__isnull=False).values_list("deposit_id", "kind", "lot__number")
        )

    def test_people_without_the_write_right_cannot_open(self):
        for user in (self.bob, self.charlie, self.olga, self.dupont):
            with at(self.after()), self.assertRaises(RightsError):
                open_bids(consultation=self.consultation, actor=Actor.of_user(user))
        url = reverse("marches_bids:open", args=[self.consultation.pk])
        with at(self.after()):
            self.assertEqual(self.client.post(url).status_code, 302)  # anonymous → login
            for user, status in ((self.bob, 403), (self.charlie, 404), (self.olga, 404), (self.dupont, 404)):
                self.login(user)
                self.assertEqual(self.client.post(url).status_code, status, user.email)
        self.assertEqual(self.opened(), set())

    def test_an_agent_with_the_right_cannot_open_before_the_deadline(self):
        with at(self.before(1)), self.assertRaises(TooEarly):
            open_bids(consultation=self.consultation, actor=Actor.of_user(self.alice))
        self.assertEqual(self.opened(), set())

    def test_opening_one_lot_opens_its_offers_and_the_candidatures_of_its_bidders(self):
        with at(self.after()):
            open_bids(consultation=self.consultation, actor=Actor.of_user(self.alice), lot=self.lot1)
        self.assertEqual(
            self.opened(), {(self.routes_bid.pk, "candidature", None), (self.routes_bid.pk, "offer", 1)}
        )
        self.consultation.refresh_from_db()
        self.assertEqual(self.consultation.status, Status.OPENED)
        with at(self.after(60)):
            open_bids(consultation=self.consultation, actor=Actor.of_user(self.alice), lot=self.lot2)
        self.assertEqual(
            self.opened(),
            {
                (self.routes_bid.pk, "candidature", None),
                (self.routes_bid.pk, "offer", 1),
                (self.routes_bid.pk, "offer", 2),
                (self.bat_bid.pk, "candidature", None),
                (self.bat_bid.pk, "offer", 2),
            },
        )
        events = ConsultationEvent.objects.filter(consultation=self.consultation, kind="bids.opened")
        self.assertEqual(events.count(), 2)

    def test_opening_all_leaves_replaced_and_late_deposits_sealed(self):
        with at(self.after()):
            open_bids(consultation=self.consultation, actor=Actor.of_user(self.alice))
        opened = {d for d, _, _ in self.opened()}
        self.assertEqual(opened, {self.routes_bid.pk, self.bat_bid.pk})
        self.assertTrue(
            DepositFile.objects.filter(envelope__deposit=self.routes_bid, integrity_ok=True).exists()
        )
        late_file = DepositFile.objects.get(envelope__deposit=self.late)
        self.login(self.alice)
        with at(self.after(30)):
            response = self.client.get(reverse("marches_bids:buyer_file", args=[late_file.pk]), follow=True)
        self.assertNotIn(b"CONTENU-TARDIF", response.content)
        self.assertContains(response, "hors délai")

    def test_the_register_lists_deposits_with_their_times_after_the_deadline(self):
        self.login(self.bob)  # read right: sees the register, cannot open
        with at(self.after()):
            page = self.client.get(reverse("marches_bids:buyer_register", args=[self.consultation.pk]))
        self.assertContains(page, "Routes et Cie")
        self.assertContains(page, "Bâtiments SA")
        self.assertContains(page, "hors délai")
        self.assertContains(page, "remplacé par un pli plus récent")
        self.assertContains(page, self.routes_bid.received_at.astimezone(PARIS).strftime("%H:%M:%S"))
        self.assertNotContains(page, "Ouvrir tous les plis")
        with at(self.before()):
            page = self.client.get(reverse("marches_bids:buyer_register", args=[self.consultation.pk]))
        self.assertNotContains(page, "Routes et Cie")
        self.assertContains(page, "<strong>3</strong> pli(s) reçu(s)", html=False)
