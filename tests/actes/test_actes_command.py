from io import StringIO
from unittest import mock

from django.core.management import call_command

from bouquet.actes.choices import Status

from .services.helpers import ActesTestCase, FakeClient, FakeInbox


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
