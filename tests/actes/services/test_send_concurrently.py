"""Several POSTs in flight, several workers: each archive is still sent once and recorded once."""

import threading
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouquet.actes.choices import EnvelopeState, Status
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Envelope, Transaction
from bouquet.actes.services import send_envelope as sending
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.send_envelope import send_envelopes
from bouquet.actes.transport import TransportError
from bouquet.core.audit import verify_chain
from bouquet.core.models import JournalEntry

from .helpers import ActesTestCase, FakeClient


class OverlapClient(FakeClient):
    """Waits until ``width`` POSTs are in flight together (or a timeout), counting the most seen."""

    def __init__(self, width: int, *outcomes) -> None:
        super().__init__(*outcomes)
        self.barrier = threading.Barrier(width, timeout=5)
        self.lock = threading.Lock()
        self.flying = self.most = 0

    def send(self, archive_name: str, data: bytes) -> None:
        with self.lock:
            self.flying += 1
            self.most = max(self.most, self.flying)
        try:
            self.barrier.wait()
        except threading.BrokenBarrierError:
            pass
        finally:
            with self.lock:
                self.flying -= 1
        super().send(archive_name, data)


class SendConcurrentlyTestCase(ActesTestCase):
    def checked(self, count: int) -> list[Transaction]:
        acts = [self.create(number=f"2025_C{n:03d}") for n in range(count)]
        for act in acts:
            check_transaction(transaction=act)
        return acts

    def due(self) -> list[Envelope]:
        return list(Envelope.objects.order_by("id").select_related("archive", "authority"))

    def test_it_keeps_several_posts_in_flight_and_records_each_archive_once(self):
        acts = self.checked(6)
        client = OverlapClient(3)
        results = send_envelopes(self.due(), client=client, concurrency=3)
        self.assertEqual(client.most, 3)
        self.assertEqual([r.outcome for r in results], ["sent"] * 6)
        self.assertEqual(sorted(name for name, _ in client.calls), sorted(e.archive_name for e in self.due()))
        for act in acts:
            act.refresh_from_db()
            self.assertEqual(act.status, Status.TRANSMIS)
            self.assertEqual(act.history.filter(status=Status.TRANSMIS).count(), 1)
        self.assertEqual({(e.state, e.attempts) for e in self.due()}, {(EnvelopeState.SENT, 1)})
        # Recorded by groups: still one journal entry per act and per archive, in one unbroken chain.
        journal = JournalEntry.objects.filter(action__in=["actes.send_ok", "actes.envelope.sent"])
        self.assertEqual(
            sorted(journal.values_list("action", "object_id")),
            sorted(
                [("actes.send_ok", str(a.pk)) for a in acts]
                + [("actes.envelope.sent", str(e.pk)) for e in self.due()]
            ),
        )
        self.assertTrue(verify_chain().ok)

    def test_a_second_worker_skips_what_the_first_has_claimed(self):
        self.checked(3)
        first, second = FakeClient(), FakeClient()
        stale = self.due()  # what both workers read before either claimed anything
        seen = []

        def meanwhile(archive_name, data):
            # While the first worker's POST is in flight, the second worker runs its own pass.
            if not seen:
                seen.extend(send_envelopes(stale, client=second, concurrency=4))
            FakeClient.send(first, archive_name, data)

        with mock.patch.object(first, "send", side_effect=meanwhile):
            results = send_envelopes(self.due(), client=first, concurrency=1)
        self.assertEqual([r.outcome for r in results], ["sent", "skipped", "skipped"])
        self.assertEqual([r.outcome for r in seen], ["skipped", "sent", "sent"])
        self.assertEqual(len(first.calls) + len(second.calls), 3)  # every archive POSTed once in all
        self.assertEqual({e.state for e in self.due()}, {EnvelopeState.SENT})

    def test_it_claims_a_group_of_envelopes_at_once_and_leaves_those_changed_since_read(self):
        self.checked(6)
        read = self.due()  # then another worker sent the third one and it came back in error
        Envelope.objects.filter(pk=read[2].pk).update(state=EnvelopeState.ERROR, attempts=1)
        client = FakeClient()
        with CaptureQueriesContext(connection) as queries:
            results = send_envelopes(read, client=client, concurrency=3)
        claims = [
            q["sql"]
            for q in queries
            if q["sql"].startswith('UPDATE "actes_envelope"') and "sending_since" in q["sql"]
        ]
        self.assertEqual(len(claims), 1)  # six envelopes, one claim (one per group of CLAIM_BATCH)
        outcomes = {r.envelope.pk: r.outcome for r in results}
        self.assertEqual(outcomes.pop(read[2].pk), "skipped")  # its attempts changed: not what we read
        self.assertEqual(set(outcomes.values()), {"sent"})
        self.assertEqual(len(client.calls), 5)
        self.assertEqual(Envelope.objects.get(pk=read[2].pk).state, EnvelopeState.ERROR)

    def test_a_bug_in_one_post_leaves_it_sending_and_still_records_the_others(self):
        self.checked(3)
        envelopes = self.due()
        broken = envelopes[1].archive_name

        class Buggy(FakeClient):
            def send(self, archive_name, data):
                if archive_name == broken:
                    raise ZeroDivisionError("bogue")
                super().send(archive_name, data)

        with self.assertRaises(ZeroDivisionError):
            send_envelopes(envelopes, client=Buggy(), concurrency=3)
        states = {e.archive_name: e.state for e in self.due()}
        self.assertEqual(states.pop(broken), EnvelopeState.SENDING)  # recovered later, like a crash
        self.assertEqual(set(states.values()), {EnvelopeState.SENT})

    def test_it_bounds_the_bytes_held_for_the_posts_in_flight(self):
        self.checked(3)
        client = OverlapClient(2)
        with mock.patch.object(sending, "MAX_IN_FLIGHT_BYTES", 1):
            results = send_envelopes(self.due(), client=client, concurrency=3)
        self.assertEqual(client.most, 1)  # one archive at a time, even over the limit
        self.assertEqual([r.outcome for r in results], ["sent"] * 3)

    def test_a_transport_error_is_recorded_for_that_envelope_only(self):
        self.checked(2)
        client = FakeClient(TransportError("HTTP 503", permanent=False), None)
        results = send_envelopes(self.due(), client=client, concurrency=2)
        self.assertEqual(sorted(r.outcome for r in results), ["retry", "sent"])


class CheckClaimTestCase(ActesTestCase):
    def test_a_second_worker_does_not_build_a_second_archive(self):
        act = self.create()
        stale = Transaction.objects.get(pk=act.pk)  # read by another worker before the first checked it
        check_transaction(transaction=act)
        with mock.patch("bouquet.actes.services.outbound.build_transmission") as build:
            with self.assertRaises(WorkflowError):
                check_transaction(transaction=stale)
        build.assert_not_called()
        self.assertEqual(Envelope.objects.count(), 1)
        self.assertEqual(act.history.filter(status=Status.EN_ATTENTE_TRANSMISSION).count(), 1)


class RecordFailureTestCase(ActesTestCase):
    def test_a_database_error_on_one_outcome_still_records_the_posts_in_flight(self):
        acts = [self.create(number=f"2025_R{n:03d}") for n in range(3)]
        for act in acts:
            check_transaction(transaction=act)
        envelopes = list(Envelope.objects.order_by("id").select_related("archive", "authority"))
        original = sending._mark_sent

        def failing(group, now):
            if envelopes[0].pk in [envelope.pk for envelope in group]:
                raise RuntimeError("base indisponible")
            original(group, now)

        with mock.patch.object(sending, "_mark_sent", failing), self.assertRaises(RuntimeError):
            send_envelopes(envelopes, client=FakeClient(), concurrency=3)
        states = dict(Envelope.objects.values_list("pk", "state"))
        self.assertEqual(states.pop(envelopes[0].pk), EnvelopeState.SENDING)  # recovered like a crash
        self.assertEqual(set(states.values()), {EnvelopeState.SENT})
