import datetime as dt
import re

from django.test import override_settings
from django.utils import timezone

from bouquet.core.models import JournalEntry
from bouquet.helios.choices import SendState, Status
from bouquet.helios.models import HeliosParameters, Transaction, TransmissionSlot
from bouquet.helios.services.check_transaction import check_transaction
from bouquet.helios.services.recover_stale_sends import recover_stale_sends
from bouquet.helios.services.send_transaction import send_transaction
from bouquet.helios.transport import TransportError

from ..helpers import S2LOW, FakeDgfip, HeliosTestCase, pes


class SendTestCase(HeliosTestCase):
    def ready(self, data: bytes | None = None) -> Transaction:
        transaction = check_transaction(transaction=self.upload(data))
        self.assertEqual(transaction.status, Status.EN_ATTENTE_TRANSMISSION)
        return transaction

    def test_it_sends_the_stored_bytes_with_the_routing_metadata(self):
        data = pes("PES-A-0001", cod_col="400", id_post="034000", cod_bud="01")
        transaction = self.ready(data)
        client = FakeDgfip()
        result = send_transaction(transaction=transaction, client=client)
        self.assertEqual(result.outcome, "sent")
        [(name, sha256, p_msg)] = client.sent
        self.assertEqual(sha256, transaction.sha256)
        self.assertEqual(p_msg, "PES#400#034000#01")
        self.assertEqual((client.metas[0].p_dest, client.metas[0].p_appli), ("VHPCE11", "GHELPES2"))
        self.assertRegex(name, rf"^PESALR2_{self.authority_a.siren}_\d{{6}}_\d{{3,}}\.xml$")
        transaction.refresh_from_db()
        self.assertEqual((transaction.status, transaction.send_state), (Status.TRANSMIS, SendState.SENT))
        self.assertEqual(transaction.transmitted_name, name)
        self.assertEqual(
            transaction.history.last().message, f"Transaction {transaction.pk} transmise au serveur."
        )

    def test_the_counter_of_transmitted_names_is_platform_wide(self):
        first = self.ready(pes("N1"))
        second = check_transaction(
            transaction=self.upload(
                pes("N2", id_post="034001"), user=self.charlie, authority=self.authority_b
            )
        )
        client = FakeDgfip()
        send_transaction(transaction=first, client=client)
        send_transaction(transaction=second, client=client)
        counters = [int(re.search(r"_(\d+)\.xml$", name)[1]) for name, _, _ in client.sent]
        self.assertEqual(counters[1], counters[0] + 1)
        self.assertIn(self.authority_b.siren, client.sent[1][0])

    def test_an_acquit_retour_goes_to_24(self):
        transaction = self.ready((S2LOW / "PES_ACQUIT_RETOUR.xml").read_bytes())
        client = FakeDgfip()
        send_transaction(transaction=transaction, client=client)
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.TRANSMIS_SANS_ACQUITTEMENT)
        self.assertEqual(client.sent[0][2], "PES#007#123456#12")

    def test_a_temporary_error_keeps_it_waiting_and_retries_later(self):
        transaction = self.ready()
        now = timezone.now()
        client = FakeDgfip(TransportError("Connexion refusée", permanent=False))
        result = send_transaction(transaction=transaction, client=client, now=now)
        self.assertEqual(result.outcome, "retry")
        transaction.refresh_from_db()
        self.assertEqual(
            (transaction.status, transaction.send_state), (Status.EN_ATTENTE_TRANSMISSION, SendState.RETRY)
        )
        self.assertEqual(transaction.next_attempt_at, now + dt.timedelta(seconds=60))
        self.assertEqual(transaction.last_error, "Connexion refusée")
        self.assertFalse(Transaction.objects.due_for_sending(now).exists())
        self.assertTrue(Transaction.objects.due_for_sending(now + dt.timedelta(minutes=1)).exists())
        name = transaction.transmitted_name
        send_transaction(transaction=transaction, client=client, now=now + dt.timedelta(minutes=1))
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.TRANSMIS)
        self.assertEqual([n for n, _, _ in client.sent], [name])  # the same name on the retry
        self.assertEqual(transaction.send_attempts, 2)

    def test_a_permanent_refusal_puts_it_in_error(self):
        transaction = self.ready()
        client = FakeDgfip(TransportError("La DGFiP refuse « SITE P_DEST VHPCE11 » : 550", permanent=True))
        self.assertEqual(send_transaction(transaction=transaction, client=client).outcome, "failed")
        transaction.refresh_from_db()
        self.assertEqual((transaction.status, transaction.send_state), (Status.ERREUR, SendState.FAILED))
        self.assertIn("Erreur lors de la transmission à la DGFiP", transaction.history.last().message)

    def test_nothing_is_sent_without_a_destination(self):
        transaction = self.ready()
        HeliosParameters.objects.filter(authority=self.authority_a).update(p_dest="")
        client = FakeDgfip()
        for _ in range(2):
            result = send_transaction(transaction=transaction, client=client)
            transaction.refresh_from_db()
        self.assertEqual(result.outcome, "blocked")
        self.assertEqual(client.sent, [])
        self.assertEqual(transaction.status, Status.EN_ATTENTE_TRANSMISSION)
        self.assertIn("site destinataire", transaction.last_error)
        self.assertEqual(JournalEntry.objects.filter(action="helios.send_blocked").count(), 1)

    @override_settings(HELIOS_WINDOW_HOURS="8-9")
    def test_outside_the_transmission_window_it_waits_for_the_next_opening(self):
        transaction = self.ready()
        evening = timezone.make_aware(dt.datetime(2026, 3, 10, 20, 15))
        client = FakeDgfip()
        self.assertEqual(
            send_transaction(transaction=transaction, client=client, now=evening).outcome, "deferred"
        )
        transaction.refresh_from_db()
        self.assertEqual(client.sent, [])
        self.assertEqual(timezone.localtime(transaction.next_attempt_at).hour, 8)
        self.assertEqual(transaction.send_attempts, 0)

    @override_settings(HELIOS_WINDOW_BYTES_PER_HOUR=5_000)
    def test_the_hourly_budget_counts_bytes_sent_only(self):
        now = timezone.make_aware(dt.datetime(2026, 3, 10, 10, 5))
        first, second = self.ready(pes("B1")), self.ready(pes("B2"))
        client = FakeDgfip(TransportError("coupure", permanent=False))
        send_transaction(transaction=first, client=client, now=now)
        self.assertEqual(TransmissionSlot.objects.get().bytes_used, 0)  # a failed send consumes nothing
        send_transaction(transaction=second, client=client, now=now)
        self.assertEqual(TransmissionSlot.objects.get().bytes_used, second.size)
        first.refresh_from_db()
        result = send_transaction(transaction=first, client=client, now=now + dt.timedelta(minutes=2))
        self.assertEqual(result.outcome, "deferred")  # two files do not fit in 5 000 bytes
        self.assertEqual(len(client.sent), 1)

    def test_a_send_interrupted_after_the_upload_is_finished_without_a_second_upload(self):
        transaction = self.ready()
        now = timezone.now()
        # The worker claimed it, allocated its name and died: "sending" with no outcome recorded.
        Transaction.objects.filter(pk=transaction.pk).update(
            send_state=SendState.SENDING,
            sending_since=now - dt.timedelta(hours=1),
            transmitted_name="PESALR2_x.xml",
        )
        client = FakeDgfip()
        results = recover_stale_sends(client=client, older_than=dt.timedelta(minutes=15), now=now)
        self.assertEqual([r.outcome for r in results], ["sent"])
        self.assertEqual([n for n, _, _ in client.sent], ["PESALR2_x.xml"])  # same name: the gateway skips it
        self.assertEqual(recover_stale_sends(client=client, older_than=dt.timedelta(minutes=15), now=now), [])

    def test_a_transaction_already_sent_is_skipped(self):
        transaction = self.ready()
        client = FakeDgfip()
        send_transaction(transaction=transaction, client=client)
        stale_copy = Transaction.objects.get(pk=transaction.pk)
        stale_copy.status, stale_copy.send_state = Status.EN_ATTENTE_TRANSMISSION, SendState.WAITING
        self.assertEqual(send_transaction(transaction=stale_copy, client=client).outcome, "skipped")
        self.assertEqual(len(client.sent), 1)

    def test_an_altered_stored_file_is_not_sent(self):
        from django.core.files.storage import default_storage

        data = pes("PES-ALTERED")
        transaction = self.upload(data)
        path = default_storage.path(transaction.file.path)
        self.addCleanup(lambda: open(path, "wb").write(data))
        with open(path, "wb") as handle:
            handle.write(b"altered")
        transaction = check_transaction(transaction=transaction)
        self.assertEqual(transaction.status, Status.ERREUR)
        self.assertIn("altéré", transaction.history.last().message)
