"""The answer pass applies a batch's plain acknowledgements (one ARActe for an act in "Transmis")
together: the same outcome as mail by mail, in a number of statements that does not grow with the
batch, and whatever cannot go together is applied, or refused, mail by mail with its usual reason."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouquet.actes.choices import FileRole, InboundState, Status
from bouquet.actes.models import InboundMessage, Transaction
from bouquet.actes.services import acknowledgements
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mails
from bouquet.core.audit import verify_chain
from bouquet.core.models import JournalEntry
from tests.actes.services import ministry
from tests.actes.services.helpers import ActesTestCase, make_mail


class AcknowledgedTogetherTestCase(ActesTestCase):
    def acts_and_mails(self, count: int, first: int = 1):
        acts = [self.transmitted(number=f"2025_D{n:03d}") for n in range(first, first + count)]
        mails = [make_mail(ministry.ar_acte(act), key=f"<ar-{act.number}@ministere.test>") for act in acts]
        return acts, mails

    def test_a_batch_of_acknowledgements_is_applied_as_mail_by_mail_would(self):
        acts, mails = self.acts_and_mails(3)
        files_before = {act.pk: act.files.count() for act in acts}

        results = apply_inbound_mails(mails)

        self.assertEqual([r.state for r in results], [InboundState.APPLIED] * 3)
        for act, mail, result in zip(acts, mails, results, strict=True):
            act.refresh_from_db()
            self.assertEqual(act.status, Status.ACQUITTEMENT_RECU)
            prefix = f"{act.authority.departement}-{act.authority.siren}-20250310-{act.number}-"
            self.assertTrue(act.id_acte.startswith(prefix), act.id_acte)
            ((name, xml),) = ministry.ar_acte(act).items()
            last = act.history.order_by("-id").first()
            self.assertEqual(
                (last.status, last.message, bytes(last.received_xml), last.schema_findings),
                (Status.ACQUITTEMENT_RECU, "Reçu par le MI le 2025-03-12", xml, []),
            )
            ar = act.files.get(role=FileRole.AR)
            self.assertEqual((ar.business_name, ar.position), (name, files_before[act.pk] + 1))
            stored = result.message
            self.assertEqual(
                (stored.key, stored.sha256, stored.authority), (mail.key, mail.sha256, act.authority)
            )
            self.assertEqual(list(stored.transactions.all()), [act])
            for action, obj in (("actes.ack_received", act), ("actes.inbound.applied", stored)):
                self.assertTrue(JournalEntry.objects.filter(action=action, object_id=str(obj.pk)).exists())
        self.assertTrue(verify_chain().ok)

    def test_the_statements_do_not_grow_with_the_batch(self):
        acts, mails = self.acts_and_mails(8)
        with CaptureQueriesContext(connection) as two:
            apply_inbound_mails(mails[:2])
        with CaptureQueriesContext(connection) as six:
            apply_inbound_mails(mails[2:])
        self.assertEqual(len(two), len(six), [q["sql"][:80] for q in six])
        self.assertLessEqual(len(six), 20)
        self.assertEqual(
            Transaction.objects.filter(status=Status.ACQUITTEMENT_RECU).count(), 8, "every act acknowledged"
        )

    def test_what_cannot_go_together_is_applied_or_refused_mail_by_mail(self):
        (first, second), (ar_first, ar_second) = self.acts_and_mails(2)
        (seen,), (ar_seen,) = self.acts_and_mails(1, first=3)
        apply_inbound_mails([ar_seen])  # a pass before
        posted = self.create(number="2025_D009")  # never sent: still "posté"
        early = make_mail(ministry.ar_acte(posted), key="<ar-early@ministere.test>")

        results = apply_inbound_mails([ar_first, early, ar_first, ar_seen, ar_second])

        self.assertEqual(results[0].state, InboundState.APPLIED)
        self.assertEqual(results[1].state, InboundState.ERROR)
        self.assertIn("Changement d'état impossible", results[1].message.reason)
        self.assertTrue(results[2].duplicate, "the same mail twice in a batch is applied once")
        self.assertEqual(results[2].message, results[0].message)
        self.assertTrue(results[3].duplicate, "a mail applied by an earlier pass")
        self.assertEqual(results[4].state, InboundState.APPLIED)
        for act in (first, second, seen):
            act.refresh_from_db()
            self.assertEqual(act.status, Status.ACQUITTEMENT_RECU)
            self.assertEqual(act.history.filter(status=Status.ACQUITTEMENT_RECU).count(), 1)
        posted.refresh_from_db()
        self.assertEqual(posted.status, Status.POSTE)
        self.assertEqual(InboundMessage.objects.count(), 4)  # seen, first, early (in error), second

    def test_a_batch_that_fails_together_is_undone_and_applied_mail_by_mail(self):
        acts, mails = self.acts_and_mails(3)
        real = acknowledgements.workflow.change_statuses

        def moved_meanwhile(changes, **kwargs):
            if len(changes) > 1:  # the batch (each mail's own change, after, goes through as is)
                Transaction.objects.filter(pk=changes[1].transaction.pk).update(status=Status.ERREUR)
            return real(changes, **kwargs)  # one row is no longer at the status read: all undone

        with (
            mock.patch.object(acknowledgements.workflow, "change_statuses", side_effect=moved_meanwhile),
            self.assertLogs("bouquet.actes.services.apply_inbound_mail", "WARNING") as logs,
        ):
            results = apply_inbound_mails(mails)

        self.assertIn("courriel par courriel", logs.output[0])
        # The other worker's change was undone with the batch in this one-connection test: each mail
        # is then judged alone, on the rows as they are.
        self.assertEqual([r.state for r in results], [InboundState.APPLIED] * 3)
        for act in acts:
            act.refresh_from_db()
            self.assertEqual(act.status, Status.ACQUITTEMENT_RECU)
            self.assertEqual(act.history.filter(status=Status.ACQUITTEMENT_RECU).count(), 1)
        self.assertEqual(JournalEntry.objects.filter(action="actes.ack_received").count(), 3)
        self.assertTrue(verify_chain().ok)

    def test_each_message_is_parsed_once_whichever_path_applies_its_mail(self):
        from bouquet.actes.services import apply_inbound_mail as module

        (first, second), (ar_first, _) = self.acts_and_mails(2)
        apply_inbound_mails([ar_first])
        first.refresh_from_db()
        letter = make_mail(ministry.letter(first, "3-1"), key="<lettre@ministere.test>")
        ar_second = make_mail(ministry.ar_acte(second), key="<ar-second@ministere.test>")
        with mock.patch.object(module, "parse_message", wraps=module.parse_message) as parse:
            results = apply_inbound_mails([letter, ar_second])
        self.assertEqual([r.state for r in results], [InboundState.APPLIED] * 2)
        self.assertEqual(parse.call_count, 2, "the letter's XML and the AR, once each")
