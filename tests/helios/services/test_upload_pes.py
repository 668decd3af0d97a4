import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import override_settings

from bouquet.core.models import JournalEntry, Siret
from bouquet.helios.choices import DocumentKind, Status
from bouquet.helios.errors import HeliosRefusal, RightsError
from bouquet.helios.models import HeliosParameters, StoredFile, Transaction, TransactionHistory

from ..helpers import S2LOW, SIRET_A, HeliosTestCase, pes


class UploadTestCase(HeliosTestCase):
    def refused(self, data: bytes, **options) -> HeliosRefusal:
        before = (Transaction.objects.count(), StoredFile.objects.count(), JournalEntry.objects.count())
        with self.assertRaises(HeliosRefusal) as caught:
            self.upload(data, **options)
        after = (Transaction.objects.count(), StoredFile.objects.count(), JournalEntry.objects.count())
        self.assertEqual(before, after, "a refused file must change nothing")
        return caught.exception

    def test_it_records_a_posted_transaction_with_the_bytes_received(self):
        data = pes("PES-A-0001")
        transaction = self.upload(data, name="budget primitif.xml")
        self.assertEqual(transaction.status, Status.POSTE)
        self.assertEqual(transaction.file.read(), data)
        self.assertEqual(transaction.sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(
            (transaction.nom_fic, transaction.cod_col, transaction.id_coll, transaction.id_post),
            ("PES-A-0001", "400", SIRET_A, "034000"),
        )
        self.assertEqual((transaction.cod_bud, transaction.kind), ("01", DocumentKind.PES_ALLER))
        self.assertEqual((transaction.filename, transaction.created_by), ("budget primitif.xml", self.alice))
        history = TransactionHistory.objects.get(transaction=transaction)
        self.assertEqual(history.message, "Fichier bien reçu par la plate-forme")
        self.assertTrue(
            JournalEntry.objects.filter(action="helios.create", object_id=str(transaction.pk)).exists()
        )

    def test_it_fills_the_siret_table_from_the_pes(self):
        self.upload(pes(id_coll=SIRET_A))
        siret = Siret.objects.get(siret=SIRET_A)
        self.assertEqual(siret.authority, self.authority_a)

    def test_it_keeps_the_siret_of_another_authority_and_warns(self):
        Siret.objects.create(authority=self.authority_b, siret=SIRET_A)
        transaction = self.upload(pes(id_coll=SIRET_A))
        self.assertEqual(Siret.objects.get(siret=SIRET_A).authority, self.authority_b)
        codes = [item["code"] for item in transaction.intake_report["items"]]
        self.assertIn("siret_elsewhere", codes)

    def test_a_cs_only_agent_leaves_it_waiting_for_a_tt_agent(self):
        transaction = self.upload(user=self.cecile)
        self.assertEqual(transaction.status, Status.EN_ATTENTE_TELETRANSMISSION)

    def test_it_waits_for_a_signature_or_a_tt_agent_on_request(self):
        self.assertEqual(self.upload(pes("S1"), must_sign=True).status, Status.EN_ATTENTE_SIGNATURE)
        self.assertEqual(self.upload(pes("S2"), wait=True).status, Status.EN_ATTENTE_TELETRANSMISSION)

    def test_a_read_only_user_may_not_deposit(self):
        with self.assertRaises(RightsError):
            self.upload(user=self.bob)
        self.assertFalse(Transaction.objects.exists())

    def test_another_authority_member_may_not_deposit_for_a(self):
        with self.assertRaises(RightsError):
            self.upload(user=self.charlie)

    def test_it_refuses_a_byte_identical_file(self):
        self.upload(pes("PES-A-0001"))
        refusal = self.refused(pes("PES-A-0001"))
        self.assertIn("duplicate_content", refusal.codes)
        self.assertIn("Doublon détecté", refusal.message)

    def test_it_refuses_a_nomfic_already_sent_with_that_codcol_even_by_another_authority(self):
        self.upload(pes("PES-X-0001"))
        refusal = self.refused(
            pes("PES-X-0001", id_post="034001"), user=self.charlie, authority=self.authority_b
        )
        self.assertEqual(refusal.codes, {"nomfic_codcol_known"})
        self.assertIn("existe déjà sur la plateforme", refusal.message)

    def test_the_same_nomfic_with_another_codcol_is_accepted(self):
        self.upload(pes("PES-X-0001", cod_col="400"))
        self.assertEqual(self.upload(pes("PES-X-0001", cod_col="401")).status, Status.POSTE)

    def test_a_cancelled_transaction_frees_its_nomfic(self):
        from bouquet.core.audit import Actor
        from bouquet.helios.services import cancel_transaction

        first = self.upload(pes("PES-X-0001"), wait=True)
        cancel_transaction(transaction=first, actor=Actor.of_user(self.alice))
        self.assertEqual(self.upload(pes("PES-X-0001")).status, Status.POSTE)

    def test_it_refuses_a_utf8_declaration_with_its_line(self):
        refusal = self.refused(pes(encoding=b"UTF-8"))
        [item] = refusal.items
        self.assertEqual((item.code, item.line), ("encoding_not_iso_8859_1", 1))
        self.assertIn("ISO-8859-1", item.message)
        self.assertTrue(str(item).startswith("Ligne 1 : "))

    def test_it_refuses_s2lows_negative_samples(self):
        expected = {
            "pes_aller_empty.xml": "empty",
            "pes_aller_CodColTropLong.xml": "codcol_too_long",
            "pes_aller_IdColl_trop_long.xml": "idcoll_too_long",
            "pes_aller_PasDeNomFic.xml": "nomfic_missing",
            "pes_aller_utf8.xml": "encoding_not_iso_8859_1",
            "wrong_root.xml": "wrong_root",
            "pes_acquit.xml": "not_outgoing",
        }
        for name, code in expected.items():
            with self.subTest(name):
                self.assertIn(code, self.refused((S2LOW / name).read_bytes()).codes)

    def test_it_refuses_a_truncated_file_with_its_line(self):
        data = pes()
        refusal = self.refused(data[: data.index(b"</Piece>") + 8])
        [item] = refusal.items
        self.assertEqual(item.code, "not_well_formed")
        self.assertIn("tronqué", item.message)
        self.assertIsNotNone(item.line)

    def test_it_refuses_an_xml_bomb_without_expanding_it(self):
        bomb = (
            b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
            b'<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller">&lol2;</n:PES_Aller>'
        )
        refusal = self.refused(bomb)
        self.assertEqual(refusal.codes, {"forbidden_xml"})
        self.assertIn("DOCTYPE", refusal.message)

    def test_it_refuses_an_external_entity(self):
        xxe = (
            b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
            b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            b'<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller">&xxe;</n:PES_Aller>'
        )
        refusal = self.refused(xxe)
        self.assertEqual(refusal.codes, {"forbidden_xml"})
        self.assertNotIn("root:", refusal.message)

    def test_it_refuses_a_wrong_root(self):
        data = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<Facture><NomFic V="x"/></Facture>\n'
        refusal = self.refused(data)
        self.assertEqual(refusal.codes, {"wrong_root"})
        self.assertIn("Élément racine « Facture » inconnu", refusal.message)

    def test_it_refuses_an_empty_file(self):
        self.assertIn("vide", self.refused(b"").message)

    @override_settings(HELIOS_MAX_FILE_SIZE=4096)
    def test_it_refuses_an_oversized_file_without_reading_it(self):
        upload = TemporaryUploadedFile("gros.xml", "text/xml", 0, None)
        upload.write(pes()[:-20] + b"<!--" + b"x" * 10_000 + b"-->" + pes()[-20:])
        upload.flush()
        before = StoredFile.objects.count()
        with self.assertRaises(HeliosRefusal) as caught:
            self.upload(upload)
        self.assertEqual(caught.exception.codes, {"too_large"})
        self.assertIn("limite de 4096 octets", caught.exception.message)
        self.assertEqual(StoredFile.objects.count(), before)

    def test_it_refuses_a_200_mib_file_before_reading_it(self):
        upload = TemporaryUploadedFile("enorme.xml", "text/xml", 0, None)
        upload.file.truncate(200 * 1024 * 1024)  # sparse: nothing is written, nothing may be read
        with self.assertRaises(HeliosRefusal) as caught:
            self.upload(upload)
        self.assertEqual(caught.exception.codes, {"too_large"})
        self.assertIn(
            "209715200 octets, au-delà de la limite de 134217728 octets (128 Mio)", caught.exception.message
        )
        self.assertFalse(Transaction.objects.exists())

    def test_it_reads_a_large_upload_from_its_temporary_file(self):
        data = pes("PES-DISK")
        upload = TemporaryUploadedFile("disque.xml", "text/xml", len(data), None)
        upload.write(data)
        upload.flush()
        transaction = self.upload(upload, name=upload.name)
        self.assertEqual(transaction.file.read(), data)

    def test_it_accepts_an_in_memory_upload(self):
        data = pes("PES-MEM")
        transaction = self.upload(SimpleUploadedFile("m.xml", data))
        self.assertEqual(transaction.file.read(), data)

    def test_it_refuses_the_file_when_the_authority_has_no_destination(self):
        HeliosParameters.objects.filter(authority=self.authority_a).update(p_dest="")
        refusal = self.refused(pes())
        self.assertEqual(refusal.codes, {"p_dest_missing"})
        self.assertIn("Trésorerie", refusal.message)

    def test_a_path_in_the_file_name_is_dropped(self):
        transaction = self.upload(pes(), name="../../etc/passwd\x00.xml")
        self.assertEqual(transaction.filename, "passwd.xml")

    def test_a_schema_warning_from_a_rebuilt_schema_does_not_refuse(self):
        transaction = self.upload(pes(extra_header=b'<Inconnu V="1"/>'))
        [item] = [i for i in transaction.intake_report["items"] if i["code"] == "schema_rebuilt"]
        self.assertEqual(item["severity"], "warning")
        self.assertIsNotNone(item["line"])

    def test_an_acquit_retour_is_accepted_as_such(self):
        transaction = self.upload((S2LOW / "PES_ACQUIT_RETOUR.xml").read_bytes())
        self.assertEqual(transaction.kind, DocumentKind.PES_ACQUIT_RETOUR)
        self.assertEqual(transaction.cod_col, "007")
