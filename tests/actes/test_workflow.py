import datetime as dt
from unittest import mock

from django.db import transaction as db_transaction

from bouquet.actes import workflow
from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Transaction, TransactionHistory
from bouquet.core.audit import Actor
from bouquet.core.models import JournalEntry
from bouquet.test import BaseTestCase

E = workflow.Event
ACTOR = Actor.system("test")
# The table of the spec (§4.3, §4.4), written out independently of workflow.TABLE.
EXPECTED = {
    E.POST: ({17}, 1, {1, 2, 3, 4, 6, 7}),
    E.SIGNED: ({18}, 1, {1}),
    E.CHECK_OK: ({1}, 2, {1, 2, 3, 4, 6, 7}),
    E.CHECK_FAILED: ({1}, -1, {1, 2, 3, 4, 6, 7}),
    E.SEND_OK: ({2}, 3, {1, 2, 3, 4, 6, 7}),
    E.SEND_FAILED: ({2}, -1, {1, 2, 3, 4, 6, 7}),
    E.ACK_RECEIVED: ({3}, 4, {1, 2, 3, 4, 6, 7}),
    E.ANOMALY: ({3}, -1, {1}),
    E.ENVELOPE_ANOMALY: (set(range(1, 23)), -1, set(range(1, 8))),
    E.TIMEOUT: ({3}, -1, {1, 2, 3, 4, 6, 7}),
    E.CANCELLED: ({4}, 0, {1}),
    E.VALIDATED: ({4}, 5, {1}),
    E.ACK_SENT: ({7}, 8, {3, 4}),
    E.ACK_FAILED: ({7}, -1, {3, 4}),
}


class WorkflowTestCase(BaseTestCase):
    def make(self, status: int, type_: int = TransactionType.ACTE) -> Transaction:
        number = f"T{Transaction.objects.count() + 1}"  # unique: acts' numbers are unique per authority
        return Transaction.objects.create(
            authority=self.authority_a, type=type_, status=status, number=number
        )

    def test_it_has_exactly_the_spec_table(self):
        self.assertEqual(set(workflow.TABLE), set(EXPECTED))
        for event, (sources, to, types) in EXPECTED.items():
            rule = workflow.TABLE[event]
            self.assertEqual((set(rule.sources), rule.target, set(rule.types)), (sources, to, types), event)

    def test_it_applies_every_legal_transition(self):
        for event, (sources, to, types) in EXPECTED.items():
            for type_ in types:
                for status in sources:
                    with self.subTest(event=event, type=type_, status=status):
                        transaction = self.make(status, type_)
                        workflow.change_status(transaction, event, message="ok", actor=ACTOR)
                        transaction.refresh_from_db()
                        self.assertEqual((transaction.status, transaction.history.get().status), (to, to))

    def test_it_refuses_every_other_transition(self):
        for event, (sources, _, types) in EXPECTED.items():
            for type_ in TransactionType:
                for status in Status:
                    if status in sources and type_ in types:
                        continue
                    with self.subTest(event=event, type=type_, status=status):
                        # Unsaved: the refusal must come before any query.
                        transaction = Transaction(authority=self.authority_a, type=type_, status=status)
                        with self.assertNumQueries(0), self.assertRaises(WorkflowError):
                            workflow.change_status(transaction, event, message="non", actor=ACTOR)

    def test_it_changes_nothing_on_a_refusal(self):
        transaction = self.make(Status.POSTE)
        with self.assertRaises(WorkflowError):
            workflow.change_status(transaction, E.ACK_RECEIVED, message="non", actor=ACTOR)
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.POSTE)
        self.assertFalse(transaction.history.exists())
        self.assertFalse(JournalEntry.objects.exists())

    def test_it_writes_history_and_journal_with_the_change(self):
        transaction = self.make(Status.TRANSMIS)
        workflow.change_status(
            transaction,
            E.ACK_RECEIVED,
            message="Reçu par le MI le 2025-03-11",
            actor=ACTOR,
            received_xml=b"<ar/>",
            findings=["ligne 1 : écart"],
            id_acte="021-210100012-20250310-T1-DE",
        )
        transaction.refresh_from_db()
        self.assertEqual(transaction.id_acte, "021-210100012-20250310-T1-DE")
        row = transaction.history.get()
        self.assertEqual((bytes(row.received_xml), row.schema_findings), (b"<ar/>", ["ligne 1 : écart"]))
        entry = JournalEntry.objects.filter(action="actes.ack_received").get()
        self.assertEqual(entry.details, {"from": 3, "to": 4, "message": "Reçu par le MI le 2025-03-11"})

    def test_it_rolls_back_the_status_when_the_history_fails(self):
        transaction = self.make(Status.TRANSMIS)
        with mock.patch("bouquet.actes.workflow.audit.record_many", side_effect=RuntimeError("boom")):
            # The caller's transaction (a service's, or autocommit's own) is undone as a whole.
            with self.assertRaises(RuntimeError), db_transaction.atomic():
                workflow.change_status(transaction, E.ACK_RECEIVED, message="x", actor=ACTOR)
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.TRANSMIS)
        self.assertFalse(TransactionHistory.objects.exists())

    def test_it_applies_a_change_once_when_two_workers_race(self):
        transaction = self.make(Status.TRANSMIS)
        stale_copy = Transaction.objects.get(pk=transaction.pk)
        workflow.change_status(transaction, E.ACK_RECEIVED, message="premier", actor=ACTOR)
        with self.assertRaisesMessage(WorkflowError, "a changé d'état entre-temps"):
            workflow.change_status(stale_copy, E.TIMEOUT, message="second", actor=ACTOR)
        self.assertEqual(list(transaction.history.values_list("message", flat=True)), ["premier"])

    def test_a_batch_checks_every_row_before_writing_anything(self):
        ready, wrong = self.make(Status.TRANSMIS), self.make(Status.POSTE)
        changes = [workflow.Change(ready, E.ACK_RECEIVED, "a"), workflow.Change(wrong, E.ACK_RECEIVED, "b")]
        with self.assertRaisesMessage(WorkflowError, "n'est pas permis"):
            workflow.change_statuses(changes, actor=ACTOR)
        ready.refresh_from_db()
        self.assertEqual(ready.status, Status.TRANSMIS)
        self.assertFalse(TransactionHistory.objects.exists())
        self.assertFalse(JournalEntry.objects.exists())

    def test_a_batch_whose_row_moved_meanwhile_is_undone_as_a_whole(self):
        first, second = self.make(Status.TRANSMIS), self.make(Status.TRANSMIS)
        stale = Transaction.objects.get(pk=second.pk)
        workflow.change_status(second, E.ACK_RECEIVED, message="premier", actor=ACTOR)
        changes = [workflow.Change(first, E.TIMEOUT, "x"), workflow.Change(stale, E.TIMEOUT, "x")]
        with self.assertRaisesMessage(WorkflowError, "a changé d'état entre-temps"), db_transaction.atomic():
            workflow.change_statuses(changes, actor=ACTOR)
        first.refresh_from_db()
        self.assertEqual(first.status, Status.TRANSMIS)
        self.assertEqual(list(TransactionHistory.objects.values_list("message", flat=True)), ["premier"])

    def test_it_gives_a_french_message(self):
        with self.assertRaisesMessage(WorkflowError, "« Posté » → « Acquittement reçu » n'est pas permis"):
            workflow.change_status(self.make(Status.POSTE), E.ACK_RECEIVED, message="x", actor=ACTOR)

    def test_it_creates_only_in_an_initial_status(self):
        common = {"actor": ACTOR, "message": "x", "authority": self.authority_a, "number": "N1"}
        with self.assertRaises(WorkflowError):
            workflow.create_transaction(status=Status.TRANSMIS, type=TransactionType.ACTE, **common)
        letter = workflow.create_transaction(
            status=Status.DOCUMENT_RECU, type=TransactionType.LETTRE_OBSERVATIONS, **common
        )
        self.assertEqual(letter.history.get().status, Status.DOCUMENT_RECU)
        with self.assertRaises(WorkflowError):
            workflow.create_transaction(
                status=Status.DOCUMENT_RECU_PAS_AR,
                type=TransactionType.ACTE,
                decision_date=dt.date(2025, 1, 1),
                **common,
            )
