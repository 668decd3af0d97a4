import datetime as dt
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from bouquet.helios import tasks
from bouquet.helios.choices import IncomingState, Status
from bouquet.helios.models import IncomingFile, Transaction
from bouquet.helios.transport import TransportError

from ..helpers import FakeDgfip, HeliosTestCase, acquit, pes, retour


class WorkerPassesTestCase(HeliosTestCase):
    def test_one_pass_of_each_job_takes_a_pes_from_upload_to_acquit(self):
        transaction = self.upload(pes("PES-A-0001"))
        client = FakeDgfip()
        self.assertEqual(tasks.process_posted.call(), 1)
        self.assertEqual(tasks.send_pending.call(client=client), {"sent": 1})
        client.incoming["ACQUIT_x.xml"] = acquit("PES-A-0001")
        self.assertEqual(tasks.poll_incoming.call(client=client), {IncomingState.APPLIED: 1})
        self.assertEqual(client.processed, ["ACQUIT_x.xml"])
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.INFORMATION_DISPONIBLE)

    def test_files_in_error_are_set_aside_and_unassigned_retours_are_kept(self):
        client = FakeDgfip(incoming={"a.xml": acquit("INCONNU"), "r.xml": retour("99999999900011")})
        counts = tasks.poll_incoming.call(client=client)
        self.assertEqual(counts, {IncomingState.ERROR: 1, IncomingState.UNASSIGNED: 1})
        self.assertEqual([name for name, _ in client.errors], ["a.xml"])
        self.assertIn("aucune transaction", client.errors[0][1])
        self.assertEqual(client.processed, ["r.xml"])

    def test_a_file_applied_but_not_moved_is_recognised_next_time(self):
        self.upload(pes("PES-A-0001"))
        tasks.process_posted.call()
        client = FakeDgfip()
        tasks.send_pending.call(client=client)
        client.incoming["ACK.xml"] = acquit("PES-A-0001")
        with mock.patch.object(
            client, "mark_processed", side_effect=TransportError("coupure", permanent=False)
        ):
            tasks.poll_incoming.call(client=client)
        self.assertEqual(tasks.poll_incoming.call(client=client), {"duplicate": 1})
        self.assertEqual(IncomingFile.objects.count(), 1)

    def test_a_failure_while_applying_leaves_the_file_for_the_next_pass(self):
        client = FakeDgfip(incoming={"ACK.xml": acquit("X")})
        with mock.patch(
            "bouquet.helios.tasks.apply_incoming_file", side_effect=RuntimeError("base indisponible")
        ):
            self.assertEqual(tasks.poll_incoming.call(client=client), {})
        self.assertEqual(list(client.incoming), ["ACK.xml"])

    def test_an_unreachable_gateway_is_left_for_the_next_pass(self):
        client = FakeDgfip()
        with mock.patch.object(client, "list_incoming", side_effect=TransportError("421", permanent=False)):
            self.assertEqual(tasks.poll_incoming.call(client=client), {"unreachable": 1})

    def test_a_file_too_large_to_fetch_is_set_aside(self):
        client = FakeDgfip(incoming={"big.xml": b""})
        with mock.patch.object(client, "fetch", side_effect=TransportError("trop gros", permanent=True)):
            self.assertEqual(tasks.poll_incoming.call(client=client), {"refused": 1})
        self.assertEqual(client.errors, [("big.xml", "trop gros")])

    def test_maintenance_moves_stale_transmissions_to_24_and_alerts_once_about_stuck_ones(self):
        transmitted = self.upload(pes("M1"))
        tasks.process_posted.call()
        tasks.send_pending.call(client=FakeDgfip())
        stuck = self.upload(pes("M2"))
        tasks.process_posted.call()
        old = timezone.now() - dt.timedelta(days=5)
        Transaction.objects.filter(pk__in=[transmitted.pk, stuck.pk]).update(last_status_at=old)
        self.assertEqual(tasks.daily_maintenance.call(), {"stale": 1, "alerted": 1})
        self.assertEqual(tasks.daily_maintenance.call(), {"stale": 0, "alerted": 0})
        transmitted.refresh_from_db()
        self.assertEqual(transmitted.status, Status.TRANSMIS_SANS_ACQUITTEMENT)
        [message] = mail.outbox
        self.assertIn("bloquée", message.subject)
        self.assertIn("M2", message.body)
        self.assertEqual(sorted(message.to), [self.olga.email, self.sam.email])


class WorkerCommandTestCase(HeliosTestCase):
    @override_settings(HELIOS_POLL_INTERVAL_SECONDS=0)
    def test_worker_once_runs_every_pass(self):
        self.upload(pes("W1"))
        client = FakeDgfip()
        out = StringIO()
        with mock.patch("bouquet.helios.tasks._client", return_value=client):
            call_command("helios", "worker", "--once", stdout=out, stderr=StringIO())
        lines = out.getvalue().splitlines()
        self.assertEqual([line.split(" : ")[0] for line in lines], ["process", "send", "poll", "maintenance"])
        self.assertEqual(len(client.sent), 1)

    def test_a_failing_pass_does_not_stop_the_others(self):
        err = StringIO()
        with mock.patch("bouquet.helios.tasks._client", side_effect=OSError("DGFiP injoignable")):
            call_command("helios", "worker", "--once", stdout=StringIO(), stderr=err)
        self.assertIn("send : échec (DGFiP injoignable)", err.getvalue())

    def test_inspect_still_works(self):
        from ..helpers import S2LOW

        with self.assertRaises(SystemExit) as caught:
            call_command("helios", "inspect", str(S2LOW / "pes_aller_utf8.xml"), stdout=StringIO())
        self.assertEqual(caught.exception.code, 1)
