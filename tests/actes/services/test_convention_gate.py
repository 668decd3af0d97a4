"""Nothing goes to the prefecture without a signed ACTES convention in force (issue 6, part 2)."""

from datetime import date

from django.test import override_settings

from bouquet.actes.choices import Status
from bouquet.actes.errors import ConventionError
from bouquet.actes.models import Transaction
from bouquet.actes.services.post_act import post_act
from bouquet.backoffice.choices import ConventionKind, ConventionModule, ConventionStatus
from bouquet.backoffice.models import Convention
from bouquet.core.audit import Actor

from .helpers import ActesTestCase

REFUSAL = "aucune convention de télétransmission ACTES signée n'est en vigueur"


def sign_convention(authority) -> Convention:
    return Convention.objects.create(
        authority=authority,
        module=ConventionModule.ACTES,
        kind=ConventionKind.CONVENTION,
        subject="Convention ACTES",
        status=ConventionStatus.SIGNED,
        signed_on=date(2020, 1, 1),
        effective_from=date(2020, 1, 1),
    )


@override_settings(BACKOFFICE_ACTES_CONVENTION_REQUIRED=True)
class ConventionGateTestCase(ActesTestCase):
    def test_an_act_to_transmit_now_is_refused_and_nothing_is_created(self):
        before = Transaction.objects.count()
        with self.assertRaisesMessage(ConventionError, REFUSAL):
            self.create()
        self.assertEqual(Transaction.objects.count(), before)

    def test_an_act_can_be_prepared_but_not_posted_until_the_convention_is_signed(self):
        act = self.create(actor=Actor.of_user(self.cecile))  # CS only: waits for a TT agent
        self.assertEqual(act.status, Status.EN_ATTENTE_POSTE)
        with self.assertRaisesMessage(ConventionError, REFUSAL):
            post_act(transaction=act, actor=self.alice_actor, rgs_level="RGS**")
        act.refresh_from_db()
        self.assertEqual(act.status, Status.EN_ATTENTE_POSTE)
        sign_convention(act.authority)
        post_act(transaction=act, actor=self.alice_actor, rgs_level="RGS**")
        act.refresh_from_db()
        self.assertEqual(act.status, Status.POSTE)
