from django.db import IntegrityError, transaction

from bouquet.core.audit import Actor
from bouquet.core.models import JournalEntry
from bouquet.helios import workflow
from bouquet.helios.choices import Status
from bouquet.helios.errors import WorkflowError
from bouquet.helios.models import Transaction, TransactionHistory

from ..helpers import HeliosTestCase, pes

SYSTEM = Actor.system("tests")


class StatusCodesTestCase(HeliosTestCase):
    def test_the_codes_are_s2lows(self):
        expected = {
            -1: "Erreur",
            0: "Annulé",
            1: "Posté",
            2: "En attente de transmission",
            3: "Transmis",
            4: "Acquittement reçu",
            5: "Validé",
            6: "Refusé",
            7: "En traitement",
            8: "Information disponible",
            9: "Envoyé au SAE",
            10: "Accepté par le SAE",
            11: "Refusé par le SAE",
            13: "En attente d'être signé",
            14: "En attente d'être télétransmis",
            19: "En attente de transmission au SAE",
            20: "Erreur lors de l'envoi au SAE",
            21: "À détruire",
            22: "Détruite",
            23: "Erreur SAE : documents indisponibles",
            24: "Transmis sans acquittement",
        }
        self.assertEqual({s.value: s.label for s in Status}, expected)


class ChangeStatusTestCase(HeliosTestCase):
    def test_it_writes_the_history_and_the_journal_with_the_change(self):
        created = self.upload()
        workflow.change_status(created, workflow.Event.CHECK_OK, message="ok", actor=SYSTEM)
        self.assertEqual(Transaction.objects.get(pk=created.pk).status, Status.EN_ATTENTE_TRANSMISSION)
        self.assertEqual(
            list(TransactionHistory.objects.filter(transaction=created).values_list("status", "message")),
            [(1, "Fichier bien reçu par la plate-forme"), (2, "ok")],
        )
        entry = JournalEntry.objects.filter(action="helios.check_ok").get()
        self.assertEqual((entry.details["from"], entry.details["to"]), (1, 2))

    def test_a_forbidden_event_changes_nothing(self):
        created = self.upload()
        with self.assertRaises(WorkflowError) as caught:
            workflow.change_status(created, workflow.Event.ACQUIT, message="x", actor=SYSTEM)
        self.assertIn("« Posté » → « Information disponible »", caught.exception.message)
        self.assertEqual(TransactionHistory.objects.filter(transaction=created).count(), 1)

    def test_a_stale_copy_cannot_apply_a_change_twice(self):
        created = self.upload()
        copy = Transaction.objects.get(pk=created.pk)
        workflow.change_status(created, workflow.Event.CHECK_OK, message="first", actor=SYSTEM)
        with self.assertRaises(WorkflowError):
            workflow.change_status(copy, workflow.Event.CHECK_OK, message="second", actor=SYSTEM)
        self.assertEqual(TransactionHistory.objects.filter(transaction=created).count(), 2)

    def test_long_messages_are_cut_as_s2low_does(self):
        created = self.upload()
        workflow.change_status(created, workflow.Event.CHECK_FAILED, message="x" * 900, actor=SYSTEM)
        self.assertEqual(len(created.history.last().message), 512)

    def test_a_transaction_is_created_only_in_an_initial_status(self):
        with self.assertRaises(WorkflowError):
            workflow.create_transaction(actor=SYSTEM, status=Status.TRANSMIS, message="x")


class ConstraintsTestCase(HeliosTestCase):
    def test_the_database_refuses_a_second_nomfic_codcol_and_the_same_content(self):
        created = self.upload(pes("UNIQUE-1"))
        fields = {f: getattr(created, f) for f in ("authority", "file", "size", "cod_col", "filename")}
        with self.assertRaises(IntegrityError), transaction.atomic():
            Transaction.objects.create(status=1, nom_fic="UNIQUE-1", sha256="0" * 64, **fields)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Transaction.objects.create(status=1, nom_fic="UNIQUE-2", sha256=created.sha256, **fields)
        Transaction.objects.filter(pk=created.pk).update(status=Status.ANNULE)
        Transaction.objects.create(status=1, nom_fic="UNIQUE-1", sha256=created.sha256, **fields)
