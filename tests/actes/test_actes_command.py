from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import override_settings

from bouquet.actes.choices import Status
from bouquet.actes.models import Transaction

from .services.helpers import ActesTestCase, FakeClient, FakeInbox

SLEEP = "bouquet.actes.management.commands.actes.time.sleep"


class Idle(Exception):
    """Raised by the fake ``time.sleep`` when the worker pauses for lack of work: ends the loop."""


def sleeping_until_idle(interval: float, slept: list[float]):
    """A fake ``time.sleep`` that records each wait and stops the worker at its idle pause."""

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if seconds == interval:
            raise Idle

    return sleep


class ActesCommandTestCase(ActesTestCase):
    def test_it_runs_one_pass_of_processing(self):
        act = self.create()
        out = StringIO()
        call_command("actes", "process", stdout=out)
        act.refresh_from_db()
        self.assertEqual(act.status, Status.EN_ATTENTE_TRANSMISSION)
        self.assertEqual(out.getvalue().strip(), "process : 1")

    def test_it_runs_the_worker_loop_once_and_survives_a_failing_pass(self):
        act = self.create()
        transports = mock.Mock(client=FakeClient(), inbox=FakeInbox())
        err = StringIO()
        with mock.patch("bouquet.actes.transport.from_settings", return_value=transports):
            call_command("actes", "worker", "--once", stdout=StringIO(), stderr=err)
        act.refresh_from_db()
        self.assertEqual(act.status, Status.TRANSMIS)
        with mock.patch("bouquet.actes.transport.from_settings", side_effect=OSError("certificat absent")):
            call_command("actes", "worker", "--once", stdout=StringIO(), stderr=err)
        self.assertIn("send : échec (certificat absent)", err.getvalue())

    def test_the_worker_loops_at_once_while_there_is_work_and_pauses_when_idle(self):
        from bouquet.actes.management.commands.actes import Command

        acts = [self.create(number=f"2025_L{n:03d}") for n in range(2)]
        transports = mock.Mock(client=FakeClient(), inbox=FakeInbox())
        passes = []
        original = Command._pass

        def counting(command, action, quiet=False, **options):
            passes.append(action)
            return original(command, action, quiet, **options)

        slept = []
        with (
            mock.patch("bouquet.actes.transport.from_settings", return_value=transports) as built,
            mock.patch.object(Command, "_pass", counting),
            mock.patch(SLEEP, side_effect=sleeping_until_idle(7.5, slept)),
            override_settings(ACTES_WORKER_LINGER_MS=100),
        ):
            with self.assertRaises(Idle):
                call_command("actes", "worker", "--interval", "7.5", stdout=StringIO(), stderr=StringIO())
        # The first loop moved both acts: the second began after a moment (less than a full batch);
        # it found nothing, then the pause.
        self.assertEqual(passes, ["process", "send", "poll", "alerts"] * 2)
        self.assertEqual(slept, [0.1, 7.5])
        built.assert_called_once()  # one client for every pass: its TLS session is resumed
        for act in acts:
            act.refresh_from_db()
            self.assertEqual(act.status, Status.TRANSMIS)

    def test_the_worker_sends_a_checked_batch_before_it_checks_the_next(self):
        """A council's acts posted at once: the first batch leaves while the others wait to be checked,
        instead of every act being checked before the first leaves."""
        from functools import partial

        from bouquet.actes import tasks
        from bouquet.actes.services.check_transaction import check_posted

        acts = [self.create(number=f"2025_B{n:03d}") for n in range(5)]
        unchecked_at_send = []

        class Watching(FakeClient):
            def send(self, archive_name, data):
                unchecked_at_send.append(Transaction.objects.filter(status=Status.POSTE).count())
                super().send(archive_name, data)

        transports = mock.Mock(client=Watching(), inbox=FakeInbox())
        with (
            mock.patch("bouquet.actes.transport.from_settings", return_value=transports),
            mock.patch.object(tasks, "check_posted", partial(check_posted, limit=2)),
            mock.patch(SLEEP, side_effect=sleeping_until_idle(7.5, [])),
            override_settings(ACTES_SEND_CONCURRENCY=1),  # POSTs in this thread, which sees the test's rows
            self.assertRaises(Idle),
        ):
            call_command("actes", "worker", "--interval", "7.5", stdout=StringIO(), stderr=StringIO())
        self.assertEqual(unchecked_at_send, [3, 3, 1, 1, 0])
        for act in acts:
            act.refresh_from_db()
            self.assertEqual(act.status, Status.TRANSMIS)
        # A one-off pass (``actes process``, ``worker --once``) still checks everything.
        more = [self.create(number=f"2025_C{n:03d}") for n in range(5)]
        with mock.patch.object(tasks, "check_posted", partial(check_posted, limit=2)):
            self.assertEqual(tasks.process_posted.call(), 5)
        checked = Transaction.objects.filter(pk__in=[a.pk for a in more]).values_list("status", flat=True)
        self.assertEqual(set(checked), {Status.EN_ATTENTE_TRANSMISSION})

    def test_the_worker_goes_on_at_once_after_a_full_batch_and_waits_a_moment_after_a_partial_one(self):
        """Acts trickling in are taken together after a short wait; a backlog is worked without one."""
        from functools import partial

        from bouquet.actes import tasks
        from bouquet.actes.services.check_transaction import check_posted

        acts = [self.create(number=f"2025_P{n:03d}") for n in range(3)]
        transports = mock.Mock(client=FakeClient(), inbox=FakeInbox())
        slept = []
        with (
            mock.patch("bouquet.actes.transport.from_settings", return_value=transports),
            mock.patch.object(tasks, "check_posted", partial(check_posted, limit=2)),
            mock.patch("bouquet.actes.services.check_transaction.BATCH", 2),
            mock.patch(SLEEP, side_effect=sleeping_until_idle(7.5, slept)),
            override_settings(ACTES_WORKER_LINGER_MS=250),
            self.assertRaises(Idle),
        ):
            call_command("actes", "worker", "--interval", "7.5", stdout=StringIO(), stderr=StringIO())
        # Two checked (a full batch): the next round at once; one checked: 0.25 s; nothing left: idle.
        self.assertEqual(slept, [0.25, 7.5])
        for act in acts:
            act.refresh_from_db()
            self.assertEqual(act.status, Status.TRANSMIS)

    def test_the_worker_rebuilds_its_transports_after_a_while_and_closes_the_old_client(self):
        from bouquet.actes.management.commands import actes

        old, new = mock.Mock(), mock.Mock()
        command = actes.Command()
        with (
            mock.patch("bouquet.actes.transport.from_settings", side_effect=[old, new]),
            mock.patch.object(actes.time, "monotonic", side_effect=[0.0, 10.0, 1000.0, 1000.0]),
        ):
            self.assertIs(command.transports(), old)
            self.assertIs(command.transports(), old)  # 10 s later: the same, kept-alive connections and all
            old.client.close.assert_not_called()
            self.assertIs(command.transports(), new)  # past TRANSPORTS_MAX_AGE_SECONDS: a renewed certificate
        old.client.close.assert_called_once_with()
