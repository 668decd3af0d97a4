import datetime as dt
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from bouquet.actes import tasks
from bouquet.actes.choices import EnvelopeState, FileRole, InboundState, Status
from bouquet.actes.models import Envelope, InboundMessage, Transaction
from bouquet.actes.transport import TransportError
from bouquet.core.audit import Actor, verify_chain
from bouquet.core.models import JournalEntry

from . import ministry
from .helpers import ActesTestCase, FakeClient, FakeInbox, FakeMail, fixture_files, make_mail


class TasksTestCase(ActesTestCase):
    def test_it_processes_sends_and_polls(self):
        act = self.create()
        waiting = self.create(number="2025_D002", actor=Actor.of_user(self.cecile))
        self.assertEqual(tasks.process_posted.call(), 1)
        self.assertEqual(tasks.process_posted.call(), 0)
        client = FakeClient()
        self.assertEqual(tasks.send_pending.call(client=client), {"sent": 1})
        self.assertEqual(tasks.send_pending.call(client=client), {})
        act.refresh_from_db()
        waiting.refresh_from_db()
        self.assertEqual((act.status, waiting.status), (Status.TRANSMIS, Status.EN_ATTENTE_POSTE))

        good = make_mail(ministry.ar_acte(act), key="<ar@ministere.test>")
        bad = make_mail(fixture_files("test-courrier-simple"), key="<orphan@ministere.test>")
        inbox = FakeInbox(good, bad)
        self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {"applied": 1, "error": 1})
        self.assertEqual(inbox.processed, ["<ar@ministere.test>"])
        self.assertEqual(inbox.errors[0][0], "<orphan@ministere.test>")
        self.assertIn("Aucune collectivité de SIREN 000000000", inbox.errors[0][1])
        act.refresh_from_db()
        self.assertEqual(act.status, Status.ACQUITTEMENT_RECU)

    def test_it_leaves_a_mail_in_the_inbox_when_applying_crashes(self):
        inbox = FakeInbox(make_mail(fixture_files("test-archive-MISILCL")))
        with mock.patch(
            "bouquet.actes.tasks.apply_inbound_mails", side_effect=RuntimeError("base indisponible")
        ):
            self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {})
        self.assertEqual((inbox.processed, inbox.errors), ([], []))
        self.assertFalse(InboundMessage.objects.exists())

    def test_one_mail_crashing_in_a_batch_stays_in_the_inbox_and_the_others_are_applied(self):
        first, second = self.transmitted(), self.transmitted(number="2025_D002")
        crashing = make_mail(ministry.ar_acte(first), key="<crash@ministere.test>")
        good = make_mail(ministry.ar_acte(second), key="<good@ministere.test>")
        inbox = FakeInbox(crashing, good)
        from bouquet.actes.services import apply_inbound_mail as module

        real, real_together = module._apply_and_store, module.apply_acknowledgements

        def crash_on_first(mail, reader, now, read=None):
            if mail.key == crashing.key:
                real(mail, reader, now, read)  # its changes are made, then undone with its savepoint
                raise RuntimeError("bogue")
            return real(mail, reader, now, read)

        def crash_together(acks, now):  # the plain ARs applied together: undone, then one by one
            applied = real_together(acks, now)
            if any(ack.mail.key == crashing.key for ack in acks):
                raise RuntimeError("bogue")
            return applied

        with (
            mock.patch.object(module, "apply_acknowledgements", side_effect=crash_together),
            mock.patch.object(module, "_apply_and_store", side_effect=crash_on_first),
            self.assertLogs("bouquet.actes.tasks", "ERROR"),
        ):
            self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {"applied": 1})
        self.assertEqual((inbox.processed, inbox.errors), (["<good@ministere.test>"], []))
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.status, second.status), (Status.TRANSMIS, Status.ACQUITTEMENT_RECU))
        self.assertFalse(first.history.filter(status=Status.ACQUITTEMENT_RECU).exists())
        # The undone mail left no journal entry; the chain holds.
        self.assertFalse(
            JournalEntry.objects.filter(action="actes.ack_received", object_id=str(first.pk)).exists()
        )
        self.assertTrue(
            JournalEntry.objects.filter(action="actes.ack_received", object_id=str(second.pk)).exists()
        )
        self.assertTrue(verify_chain().ok)
        # Next pass: it applies.
        self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {"applied": 1})
        first.refresh_from_db()
        self.assertEqual(first.status, Status.ACQUITTEMENT_RECU)

    def test_it_marks_a_mail_processed_again_after_a_crash_before_the_move(self):
        act = self.transmitted()
        inbox = FakeInbox(make_mail(ministry.ar_acte(act)))
        with mock.patch.object(FakeInbox, "mark_processed", side_effect=RuntimeError("IMAP coupé")):
            with self.assertRaises(RuntimeError):
                tasks.poll_inbox.call(inbox=inbox)
        self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {"duplicate": 1})
        self.assertEqual(InboundMessage.objects.get().state, InboundState.APPLIED)
        self.assertEqual(len(inbox.processed), 1)
        # Read twice, applied once: one AR in the history, no error recorded for the second reading.
        act.refresh_from_db()
        self.assertEqual(act.status, Status.ACQUITTEMENT_RECU)
        self.assertEqual(act.history.filter(status=Status.ACQUITTEMENT_RECU).count(), 1)
        self.assertEqual(act.files.filter(role=FileRole.AR).count(), 1)

    def test_a_mail_applied_but_not_moved_stays_for_the_next_pass_without_stopping_the_others(self):
        first, second = self.transmitted(), self.transmitted(number="2025_D002")
        inbox = FakeInbox(
            make_mail(ministry.ar_acte(first), key="<ar1@ministere.test>"),
            make_mail(ministry.ar_acte(second), key="<ar2@ministere.test>"),
        )
        moves = [TransportError("Déplacement impossible", permanent=False), None]
        original = FakeInbox.mark_processed

        def flaky(inbox_, mail):
            if moves.pop(0) is not None:
                raise TransportError("Déplacement impossible", permanent=False)
            original(inbox_, mail)

        with mock.patch.object(FakeInbox, "mark_processed", flaky):
            self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {"applied": 2})
        self.assertEqual(inbox.processed, ["<ar2@ministere.test>"])
        self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {"duplicate": 1})  # only moved now
        self.assertEqual(InboundMessage.objects.count(), 2)

    def test_a_mail_about_a_transaction_changed_meanwhile_is_retried_not_put_in_error(self):
        from bouquet.actes import matching
        from bouquet.actes.services import apply_inbound_mail

        act = self.transmitted()
        inbox = FakeInbox(make_mail(ministry.ar_acte(act)))
        real = matching.match_act

        def changed_behind_our_back(*args):
            found = real(*args)  # read at status 3, without a lock…
            Transaction.objects.filter(pk=found.pk).update(status=Status.ERREUR)  # …another worker
            return found

        with (
            # the mail-by-mail path (plain ARs applied together hold their rows: no such race there)
            mock.patch.object(apply_inbound_mail, "_acknowledgement", return_value=None),
            mock.patch.object(matching, "match_act", side_effect=changed_behind_our_back),
        ):
            self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {})
        self.assertEqual((inbox.processed, inbox.errors), ([], []))  # still in the inbox
        self.assertFalse(InboundMessage.objects.exists())
        # (The other worker's change, rolled back with ours in this single-connection test, is real.)
        Transaction.objects.filter(pk=act.pk).update(status=Status.ERREUR)
        self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {"error": 1})  # judged on the new status

    def test_a_second_poller_skips_an_inbox_held_by_the_first(self):
        act = self.transmitted()
        inbox = FakeInbox(make_mail(ministry.ar_acte(act)))
        inbox.exclusive = mock.MagicMock()
        inbox.exclusive.return_value.__enter__.return_value = False  # another worker holds it
        self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {})
        self.assertFalse(InboundMessage.objects.exists())
        inbox.exclusive.return_value.__enter__.return_value = True
        self.assertEqual(tasks.poll_inbox.call(inbox=inbox), {"applied": 1})

    def test_it_retries_temporary_errors_only_when_due(self):
        self.create()
        tasks.process_posted.call()
        client = FakeClient(TransportError("HTTP 500", permanent=False))
        self.assertEqual(tasks.send_pending.call(client=client), {"retry": 1})
        self.assertEqual(tasks.send_pending.call(client=client), {})
        Envelope.objects.update(next_attempt_at=timezone.now())
        self.assertEqual(tasks.send_pending.call(client=client), {"sent": 1})

    @override_settings(ACTES_STALE_SEND_MINUTES=15)
    def test_the_send_pass_resends_what_a_dead_worker_left_sending_after_a_while(self):
        act = self.create()
        tasks.process_posted.call()
        claimed = timezone.now() - dt.timedelta(minutes=10)  # a worker claimed it, then died
        Envelope.objects.update(state=EnvelopeState.SENDING, sending_since=claimed)
        client = FakeClient()
        self.assertEqual(tasks.send_pending.call(client=client), {})  # it may still be sending
        self.assertEqual(client.calls, [])
        Envelope.objects.update(sending_since=claimed - dt.timedelta(minutes=6))
        self.assertEqual(tasks.send_pending.call(client=client), {"resent": 1})
        self.assertEqual(len(client.calls), 1)
        act.refresh_from_db()
        self.assertEqual(act.status, Status.TRANSMIS)
        self.assertEqual(tasks.send_pending.call(client=client), {})

    @override_settings(ACTES_STALE_SEND_MINUTES=0)
    def test_it_runs_the_daily_maintenance(self):
        old = self.transmitted()
        Transaction.objects.filter(pk=old.pk).update(last_status_at=timezone.now() - dt.timedelta(days=31))
        stuck = self.create(number="2025_D002")
        tasks.process_posted.call()
        Envelope.objects.filter(state=EnvelopeState.BUILT).update(
            state=EnvelopeState.SENDING, sending_since=timezone.now() - dt.timedelta(minutes=1)
        )
        client = FakeClient()
        self.assertEqual(
            tasks.daily_maintenance.call(client=client), {"closed": 1, "alerted": 0, "resent": 1}
        )
        stuck.refresh_from_db()
        self.assertEqual(stuck.status, Status.TRANSMIS)


class PollBatchesTestCase(ActesTestCase):
    def test_mails_are_grouped_by_count_and_by_bytes_in_the_inbox_order(self):
        sizes = [10, 10, 60, 10, 10]
        mails = [FakeMail(f"<{n}@m>", str(n), b"x" * size, "0") for n, size in enumerate(sizes)]
        with mock.patch.object(tasks, "POLL_BATCH", 2), mock.patch.object(tasks, "POLL_BATCH_BYTES", 50):
            groups = [[m.key for m in batch] for batch in tasks._batches(iter(mails))]
        self.assertEqual(groups, [["<0@m>", "<1@m>"], ["<2@m>"], ["<3@m>", "<4@m>"]])
