import datetime as dt

from django.utils import timezone

from bouquet.core.audit import Actor
from bouquet.core.models import JournalEntry, Siret
from bouquet.helios.choices import IncomingKind, IncomingState, SendState, Status
from bouquet.helios.errors import HeliosServiceError, RightsError
from bouquet.helios.models import Acquit, IncomingFile, Retour, Transaction
from bouquet.helios.services import assign_retour, mark_retour_read
from bouquet.helios.services.apply_incoming_file import apply_incoming_file
from bouquet.helios.services.check_transaction import check_transaction
from bouquet.helios.services.send_transaction import send_transaction

from ..helpers import S2LOW, SIRET_A, SIRET_B, FakeDgfip, HeliosTestCase, acquit, pes, retour


class AcquitTestCase(HeliosTestCase):
    def transmitted(self, nom_fic: str = "PES-A-0001", **options) -> Transaction:
        transaction = check_transaction(transaction=self.upload(pes(nom_fic, **options)))
        send_transaction(transaction=transaction, client=FakeDgfip())
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.TRANSMIS)
        return transaction

    def test_an_acquit_is_matched_by_the_nomfic_inside_it_and_gives_8(self):
        transaction = self.transmitted("PES-A-0001")
        data = acquit("PES-A-0001")
        result = apply_incoming_file(name="ACQUIT_quelconque.xml", data=data)
        self.assertEqual((result.file.state, result.file.kind), (IncomingState.APPLIED, IncomingKind.ACQUIT))
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.INFORMATION_DISPONIBLE)
        self.assertIn("information disponible", transaction.history.last().message)
        current = transaction.current_acquit
        self.assertEqual(current.read(), data)
        self.assertTrue(current.schema_valid and current.all_accepted)
        elements = list(current.elements.all())
        self.assertEqual(
            [e.subject for e in elements], ["Bordereau 1093357 (2009)", "Pièce justificative PJ1"]
        )
        self.assertEqual([e.accepted for e in elements], [True, True])

    def test_a_refusal_keeps_each_element_and_its_errors(self):
        transaction = self.transmitted()
        data = acquit("PES-A-0001", ok=False, errors=[("ERREUR_SIRET", "SIRET inconnu")])
        apply_incoming_file(name="ACK.xml", data=data)
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.INFORMATION_DISPONIBLE)  # as S²LOW, whatever EtatAck
        current = transaction.current_acquit
        self.assertFalse(current.all_accepted)
        refused = current.elements.get(accepted=False)
        self.assertEqual(refused.errors[0]["code"], "ERREUR_SIRET")
        self.assertEqual(refused.errors[0]["label"], "SIRET inconnu")
        self.assertIn("SIRET", refused.errors[0]["explanation"])
        self.assertIn("1 élément(s) refusé(s) sur 2", transaction.history.last().message)

    def test_the_codcol_must_match_too(self):
        transaction = self.transmitted("PES-A-0001", cod_col="400")
        result = apply_incoming_file(name="ACK.xml", data=acquit("PES-A-0001", cod_col="401"))
        self.assertEqual(result.file.state, IncomingState.ERROR)
        self.assertIn("n'est associé à aucune transaction", result.file.reason)
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.TRANSMIS)

    def test_the_same_file_is_applied_once(self):
        transaction = self.transmitted()
        data = acquit("PES-A-0001")
        apply_incoming_file(name="ACK.xml", data=data)
        again = apply_incoming_file(name="ACK.xml", data=data)
        self.assertTrue(again.duplicate)
        self.assertEqual(IncomingFile.objects.count(), 1)
        self.assertEqual(transaction.history.filter(status=Status.INFORMATION_DISPONIBLE).count(), 1)

    def test_a_second_acquit_under_another_name_changes_nothing(self):
        transaction = self.transmitted()
        apply_incoming_file(name="ACK.xml", data=acquit("PES-A-0001"))
        second = apply_incoming_file(name="ACK_2.xml", data=acquit("PES-A-0001"))
        self.assertEqual(second.file.state, IncomingState.IGNORED)
        self.assertEqual(Acquit.objects.filter(transaction=transaction).count(), 1)

    def test_an_acquit_failing_the_schema_is_applied_anyway(self):
        transaction = self.transmitted()
        data = acquit("PES-A-0001").replace(b'<CodBud V="01"/>', b'<CodBud V="01"/><Intrus V="1"/>')
        apply_incoming_file(name="ACK.xml", data=data)
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.INFORMATION_DISPONIBLE)
        self.assertFalse(transaction.current_acquit.schema_valid)
        self.assertIn("non conforme au schéma", transaction.history.last().message)

    def test_another_answer_naming_the_nomfic_puts_it_in_error(self):
        transaction = self.transmitted()
        data = (
            b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<PES_NonAcquit><Enveloppe><Parametres>'
            b'<NomFic V="PES-A-0001"/></Parametres></Enveloppe><EnTetePES><CodCol V="400"/></EnTetePES>'
            b"</PES_NonAcquit>"
        )
        result = apply_incoming_file(name="NACK.xml", data=data)
        self.assertEqual(result.file.state, IncomingState.APPLIED)
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.ERREUR)
        self.assertIn("erreur retournée par Hélios", transaction.history.last().message)
        self.assertEqual(transaction.current_acquit.read(), data)

    def test_an_acquit_for_a_send_never_recorded_proves_the_delivery(self):
        transaction = check_transaction(transaction=self.upload())
        Transaction.objects.filter(pk=transaction.pk).update(
            send_state=SendState.SENDING, sending_since=timezone.now(), transmitted_name="PESALR2_x.xml"
        )
        apply_incoming_file(name="ACK.xml", data=acquit("PES-A-0001"))
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.INFORMATION_DISPONIBLE)
        statuses = list(transaction.history.values_list("status", flat=True))
        self.assertEqual(statuses, [Status.POSTE, Status.EN_ATTENTE_TRANSMISSION, Status.TRANSMIS,
                                    Status.INFORMATION_DISPONIBLE])  # fmt: skip

    def test_a_late_acquit_still_applies_after_24(self):
        from bouquet.helios.services.close_stale_transmissions import close_stale_transmissions

        transaction = self.transmitted()
        later = timezone.now() + dt.timedelta(hours=100)
        self.assertEqual(close_stale_transmissions(now=later), [transaction])
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.TRANSMIS_SANS_ACQUITTEMENT)
        apply_incoming_file(name="ACK.xml", data=acquit("PES-A-0001"))
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.INFORMATION_DISPONIBLE)

    def test_unreadable_and_unexpected_files_are_kept_in_error(self):
        for name, data, reason in [
            ("texte.xml", b"pas du XML du tout", "illisible"),
            ("wrong_root.xml", (S2LOW / "wrong_root.xml").read_bytes(), "inconnu"),
            ("bombe.xml", b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', "DOCTYPE"),
            ("aller.xml", pes("PES-ECHO"), "n'est pas un fichier attendu"),
        ]:
            with self.subTest(name):
                result = apply_incoming_file(name=name, data=data)
                self.assertEqual(result.file.state, IncomingState.ERROR)
                self.assertIn(reason, result.file.reason)
                self.assertEqual(result.file.file.read(), data)

    def test_an_ocre_file_is_kept_and_ignored(self):
        result = apply_incoming_file(name="FICHIER.ocre", data=b"OCRE data")
        self.assertEqual((result.file.kind, result.file.state), (IncomingKind.OCRE, IncomingState.IGNORED))


class RetourTestCase(HeliosTestCase):
    def test_a_retour_goes_to_the_authority_of_its_siret(self):
        Siret.objects.create(authority=self.authority_a, siret=SIRET_A)
        result = apply_incoming_file(name="PES2R_DEP.xml", data=retour(SIRET_A))
        self.assertEqual(result.file.state, IncomingState.APPLIED)
        retour_a = Retour.objects.get()
        self.assertEqual(
            (retour_a.authority, retour_a.siret, retour_a.siren), (self.authority_a, SIRET_A, SIRET_A[:9])
        )
        self.assertEqual(
            (retour_a.filename, retour_a.is_read, retour_a.cod_col), ("PES2R_DEP.xml", False, "221")
        )
        self.assertEqual(retour_a.blocks[0]["tag"], "PES_DepenseRetour")
        self.assertTrue(retour_a.schema_valid)
        self.assertEqual(list(Retour.objects.visible_to(self.charlie)), [])

    def test_the_siret_table_is_filled_by_uploads(self):
        self.upload(pes(id_coll=SIRET_A))
        apply_incoming_file(name="R.xml", data=retour(SIRET_A))
        self.assertEqual(Retour.objects.get().authority, self.authority_a)

    def test_an_unknown_siret_leaves_it_unassigned_for_operator_staff(self):
        result = apply_incoming_file(name="R.xml", data=retour(SIRET_B))
        self.assertEqual(result.file.state, IncomingState.UNASSIGNED)
        self.assertIn("n'est pas abonnée", result.file.reason)
        self.assertFalse(Retour.objects.exists())

        with self.assertRaises(RightsError):
            assign_retour(incoming=result.file, authority=self.authority_b, actor=Actor.of_user(self.charlie))
        assigned = assign_retour(
            incoming=result.file, authority=self.authority_b, actor=Actor.of_user(self.olga)
        )
        self.assertEqual(assigned.authority, self.authority_b)
        self.assertEqual(Siret.objects.get(siret=SIRET_B).authority, self.authority_b)
        with self.assertRaises(HeliosServiceError):
            assign_retour(incoming=result.file, authority=self.authority_b, actor=Actor.of_user(self.olga))
        # The next retour of that SIRET reaches B directly.
        apply_incoming_file(name="R2.xml", data=retour(SIRET_B, nom_fic="RETOUR-0002"))
        self.assertEqual(Retour.objects.filter(authority=self.authority_b).count(), 2)

    def test_marking_read_is_journaled_once_and_reserved_to_members(self):
        Siret.objects.create(authority=self.authority_a, siret=SIRET_A)
        apply_incoming_file(name="R.xml", data=retour(SIRET_A))
        retour_a = Retour.objects.get()
        with self.assertRaises(RightsError):
            mark_retour_read(retour=retour_a, actor=Actor.of_user(self.charlie))
        mark_retour_read(retour=retour_a, actor=Actor.of_user(self.bob))
        mark_retour_read(retour=retour_a, actor=Actor.of_user(self.alice))
        retour_a.refresh_from_db()
        self.assertTrue(retour_a.is_read)
        self.assertEqual(retour_a.read_by, self.bob)
        self.assertEqual(JournalEntry.objects.filter(action="helios.retour_read").count(), 1)
        mark_retour_read(retour=retour_a, actor=Actor.of_user(self.alice), read=False)
        self.assertEqual(list(Retour.objects.unread()), [retour_a])
