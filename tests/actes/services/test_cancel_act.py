from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.errors import RightsError, WorkflowError
from bouquet.actes.protocol import open_transmission
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.actes.services.cancel_act import cancel_act
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.send_envelope import send_envelope
from bouquet.core.audit import Actor

from . import ministry
from .helpers import ActesTestCase, FakeClient, make_mail


class CancelActTestCase(ActesTestCase):
    def acknowledged(self):
        act = self.transmitted()
        apply_inbound_mail(mail=make_mail(ministry.ar_acte(act)))
        act.refresh_from_db()
        return act

    def test_it_cancels_an_acknowledged_act(self):
        act = self.acknowledged()
        cancellation = cancel_act(act=act, actor=self.alice_actor)
        self.assertEqual(
            (cancellation.type, cancellation.status, cancellation.related),
            (TransactionType.ANNULATION, Status.POSTE, act),
        )
        check_transaction(transaction=cancellation)
        cancellation.refresh_from_db()
        ((name, parsed),) = open_transmission(cancellation.envelope.archive.read()).messages
        self.assertEqual(name, "021-210100012-20250310-2025_D001-DE-6-1_0.xml")
        self.assertEqual((parsed.root, parsed.message.id_acte), ("Annulation", act.id_acte))
        send_envelope(envelope=cancellation.envelope, client=FakeClient())
        result = apply_inbound_mail(mail=make_mail(ministry.ar_annulation(act)))
        self.assertEqual(result.state, "applied", result.message.reason)
        act.refresh_from_db()
        cancellation.refresh_from_db()
        self.assertEqual((act.status, cancellation.status), (Status.ANNULE, Status.ACQUITTEMENT_RECU))
        self.assertEqual(act.history.last().message, "Annulation reçue par le MI le 2025-04-20")

    def test_it_refuses_a_second_pending_cancellation(self):
        act = self.acknowledged()
        cancel_act(act=act, actor=self.alice_actor)
        with self.assertRaisesMessage(WorkflowError, "Une annulation de cet acte est déjà en cours."):
            cancel_act(act=act, actor=self.alice_actor)

    def test_it_refuses_an_act_not_acknowledged(self):
        with self.assertRaisesMessage(
            WorkflowError, "Seul un acte dont l'accusé de réception a été reçu peut être annulé."
        ):
            cancel_act(act=self.transmitted(), actor=self.alice_actor)

    def test_it_needs_tt(self):
        act = self.acknowledged()
        for user in (self.cecile, self.charlie):
            with self.assertRaises(RightsError):
                cancel_act(act=act, actor=Actor.of_user(user))
