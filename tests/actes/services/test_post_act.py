from django.test import override_settings

from bouquet.actes.choices import Status
from bouquet.actes.errors import RightsError, WorkflowError
from bouquet.actes.services.post_act import post_act
from bouquet.core.audit import Actor

from .helpers import ActesTestCase


class PostActTestCase(ActesTestCase):
    def setUp(self):
        self.act = self.create(actor=Actor.of_user(self.cecile))

    def test_it_posts_with_tt_and_an_rgs_two_stars_certificate(self):
        post_act(transaction=self.act, actor=self.alice_actor, rgs_level="RGS**")
        self.act.refresh_from_db()
        self.assertEqual(self.act.status, Status.POSTE)
        self.assertEqual(
            self.act.history.last().message,
            "La transaction a été postée par l'agent télétransmetteur alice Test",
        )

    def test_it_refuses_a_certificate_without_rgs_level(self):
        for level in ("", "RGS*"):
            with self.assertRaisesMessage(RightsError, "La télétransmission nécessite un certificat RGS"):
                post_act(transaction=self.act, actor=self.alice_actor, rgs_level=level)
        self.act.refresh_from_db()
        self.assertEqual(self.act.status, Status.EN_ATTENTE_POSTE)

    @override_settings(PKI_TRANSMISSION_REQUIRED_RGS="RGS***")
    def test_it_follows_the_required_level_setting(self):
        with self.assertRaises(RightsError):
            post_act(transaction=self.act, actor=self.alice_actor, rgs_level="RGS**")

    def test_it_refuses_a_user_without_tt(self):
        for user in (self.cecile, self.bob, self.charlie):
            with self.assertRaisesMessage(RightsError, "Vous n'avez pas le droit de télétransmettre"):
                post_act(transaction=self.act, actor=Actor.of_user(user), rgs_level="RGS**")

    def test_it_refuses_an_act_not_waiting(self):
        post_act(transaction=self.act, actor=self.alice_actor, rgs_level="RGS**")
        with self.assertRaises(WorkflowError):
            post_act(transaction=self.act, actor=self.alice_actor, rgs_level="RGS**")
