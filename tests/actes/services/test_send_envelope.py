import datetime as dt
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from bouquet.actes.choices import EnvelopeState, Status
from bouquet.actes.models import Envelope, TransmissionWindow
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.recover_stale_sends import recover_stale_sends
from bouquet.actes.services.send_envelope import send_envelope
from bouquet.actes.transport import TransportError

from .helpers import ActesTestCase, FakeClient

# In the future, so that the history rows written at NOW come after those of the creation.
NOW = (timezone.now() + dt.timedelta(hours=1)).replace(minute=15, second=0, microsecond=0)


class SendEnvelopeTestCase(ActesTestCase):
    def checked(self, number: str = "2025_D001"):
        act = self.create(number=number)
        check_transaction(transaction=act)
        act.refresh_from_db()
        return act

    def test_it_sends_and_marks_transmitted(self):
        act = self.checked()
        client = FakeClient()
        result = send_envelope(envelope=act.envelope, client=client, now=NOW)
        act.refresh_from_db()
        self.assertEqual(result.outcome, "sent")
        self.assertEqual(client.calls, [(act.envelope.archive_name, act.envelope.sha256)])
        self.assertEqual((act.status, act.history.last().message), (Status.TRANSMIS, "Transmis au MI"))
        self.assertEqual(
            (act.envelope.state, act.envelope.sent_at, act.envelope.attempts), (EnvelopeState.SENT, NOW, 1)
        )

    def test_it_retries_a_temporary_error_then_sends_once(self):
        act = self.checked()
        client = FakeClient(TransportError("HTTP 500", permanent=False), None)
        first = send_envelope(envelope=act.envelope, client=client, now=NOW)
        self.assertEqual((first.outcome, first.envelope.state), ("retry", EnvelopeState.ERROR))
        self.assertGreater(first.envelope.next_attempt_at, NOW)
        self.assertEqual(Envelope.objects.due(NOW).count(), 0)
        self.assertEqual(list(Envelope.objects.due(first.envelope.next_attempt_at)), [first.envelope])
        second = send_envelope(envelope=first.envelope, client=client, now=first.envelope.next_attempt_at)
        self.assertEqual((second.outcome, second.envelope.attempts), ("sent", 2))
        self.assertEqual(send_envelope(envelope=second.envelope, client=client).outcome, "skipped")
        self.assertEqual(len(client.calls), 2)
        act.refresh_from_db()
        self.assertEqual(list(act.history.values_list("status", flat=True)), [1, 2, 3])

    def test_it_puts_the_act_in_error_on_a_permanent_error(self):
        act = self.checked()
        client = FakeClient(TransportError("Certificat du serveur inattendu", permanent=True))
        result = send_envelope(envelope=act.envelope, client=client, now=NOW)
        act.refresh_from_db()
        self.assertEqual((result.outcome, result.envelope.state), ("failed", EnvelopeState.FAILED))
        self.assertEqual(act.status, Status.ERREUR)
        self.assertEqual(
            act.history.last().message,
            "Erreur lors de la transmission au MI : Certificat du serveur inattendu",
        )
        self.assertEqual(send_envelope(envelope=result.envelope, client=client).outcome, "skipped")

    def test_it_resends_the_same_bytes_after_a_crash_between_post_and_save(self):
        act = self.checked()
        client = FakeClient()
        with mock.patch(
            "bouquet.actes.services.send_envelope._mark_sent", side_effect=RuntimeError("kill -9")
        ):
            with self.assertRaises(RuntimeError):
                send_envelope(envelope=act.envelope, client=client, now=NOW)
        envelope = Envelope.objects.get(pk=act.envelope.pk)
        self.assertEqual(envelope.state, EnvelopeState.SENDING)
        self.assertEqual(send_envelope(envelope=envelope, client=client).outcome, "skipped")
        self.assertEqual(recover_stale_sends(client=client, older_than=dt.timedelta(minutes=15), now=NOW), [])
        later = NOW + dt.timedelta(minutes=20)
        (result,) = recover_stale_sends(client=client, older_than=dt.timedelta(minutes=15), now=later)
        self.assertEqual(result.outcome, "sent")
        self.assertEqual(client.calls[0], client.calls[1])
        self.assertEqual(client.calls[1], (envelope.archive_name, envelope.sha256))
        self.assertEqual(client.archives[0], client.archives[1])
        act.refresh_from_db()
        self.assertEqual(act.status, Status.TRANSMIS)

    def test_it_does_not_propagate_a_bug_as_a_transport_error(self):
        act = self.checked()
        with self.assertRaises(ZeroDivisionError):
            send_envelope(envelope=act.envelope, client=FakeClient(ZeroDivisionError()), now=NOW)
        self.assertEqual(Envelope.objects.get().state, EnvelopeState.SENDING)

    def test_it_respects_the_hourly_byte_budget(self):
        first, second = self.checked("A1"), self.checked("A2")
        budget = first.envelope.size + second.envelope.size // 2
        client = FakeClient()
        with override_settings(ACTES_WINDOW_BYTES_PER_HOUR=budget):
            self.assertEqual(send_envelope(envelope=first.envelope, client=client, now=NOW).outcome, "sent")
            deferred = send_envelope(envelope=second.envelope, client=client, now=NOW)
            self.assertEqual((deferred.outcome, deferred.envelope.state), ("deferred", EnvelopeState.BUILT))
            self.assertEqual(deferred.envelope.attempts, 0)
            next_slot = NOW.replace(minute=0) + dt.timedelta(hours=1)
            self.assertEqual(deferred.envelope.next_attempt_at, next_slot)
            self.assertEqual(list(Envelope.objects.due(NOW)), [])
            self.assertEqual(
                send_envelope(envelope=deferred.envelope, client=client, now=next_slot).outcome, "sent"
            )
        self.assertEqual(len(client.calls), 2)
        self.assertEqual(TransmissionWindow.objects.get(slot=next_slot).bytes_used, second.envelope.size)

    def test_it_sends_an_archive_larger_than_the_budget_alone(self):
        act = self.checked()
        with override_settings(ACTES_WINDOW_BYTES_PER_HOUR=10):
            self.assertEqual(
                send_envelope(envelope=act.envelope, client=FakeClient(), now=timezone.now()).outcome, "sent"
            )
