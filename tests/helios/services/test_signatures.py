"""Signed PES at intake: a Hélios-style signature verifies; a changed byte, an expired, revoked or
unknown signer are reported and refuse the file (S²LOW refuses any signature it cannot verify)."""

from bouquet.core.audit import Actor
from bouquet.helios.choices import Status
from bouquet.helios.errors import HeliosRefusal, WorkflowError
from bouquet.helios.services import preflight, submit_signed_file
from bouquet.pki.middleware import clear_validation_cache
from bouquet.pki.testing import install_demo_trust

from ..helpers import HeliosTestCase, demo_signer, pes, signed_pes


class SignedIntakeTestCase(HeliosTestCase):
    def setUp(self):
        super().setUp()
        install_demo_trust()
        clear_validation_cache()

    def test_a_signed_pes_verifies_and_names_its_signer(self):
        transaction = self.upload(signed_pes())
        self.assertEqual(transaction.status, Status.POSTE)
        [signature] = transaction.intake_report["signatures"]
        self.assertTrue(signature["valid"])
        self.assertIn("Marie Durand", signature["signer"])
        self.assertEqual(signature["signed_element"], "Bordereau")
        self.assertIsNotNone(signature["signing_time"])

    def test_one_byte_changed_in_a_signed_bordereau_refuses_the_file(self):
        data = signed_pes().replace(b'<MtHT V="39724.75"/>', b'<MtHT V="39724.76"/>')
        with self.assertRaises(HeliosRefusal) as caught:
            self.upload(data)
        self.assertIn("signature_invalid", caught.exception.codes)
        self.assertIn("contenu modifié", caught.exception.message)
        self.assertTrue(all(item.line for item in caught.exception.items if item.code == "signature_invalid"))

    def test_an_expired_signer_is_reported(self):
        report = preflight(signed_pes(signer=demo_signer("expired")), authority=self.authority_a)
        self.assertFalse(report.accepted)
        self.assertIn("signer_refused", {i.code for i in report.errors})
        self.assertIn("avait expiré", report.signatures[0].signer_message)

    def test_an_unknown_signer_is_reported(self):
        report = preflight(signed_pes(signer=demo_signer("unknown_ca")))
        self.assertIn("autorité de certification reconnue", report.signatures[0].message)
        self.assertFalse(report.accepted)

    def test_a_revoked_signer_is_reported(self):
        report = preflight(signed_pes(signer=demo_signer("revoked")))
        self.assertIn("révoqué", report.signatures[0].signer_message)


class SubmitSignedFileTestCase(HeliosTestCase):
    def setUp(self):
        super().setUp()
        install_demo_trust()
        clear_validation_cache()

    def test_the_signed_version_replaces_the_waiting_file(self):
        transaction = self.upload(pes("PES-SIGNED"), must_sign=True)
        data = signed_pes("PES-SIGNED")
        submit_signed_file(
            transaction=transaction, actor=Actor.of_user(self.alice), filename="s.xml", data=data
        )
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.POSTE)
        self.assertEqual(transaction.file.read(), data)
        self.assertEqual(transaction.history.last().message, "Fichier signé")

    def test_it_must_be_the_same_pes_and_signed(self):
        transaction = self.upload(pes("PES-SIGNED"), must_sign=True)
        actor = Actor.of_user(self.alice)
        for data, code in [
            (signed_pes("AUTRE"), "not_the_same_pes"),
            (pes("PES-SIGNED", cod_bud="02"), "not_signed"),
        ]:
            with self.subTest(code), self.assertRaises(HeliosRefusal) as caught:
                submit_signed_file(transaction=transaction, actor=actor, filename="s.xml", data=data)
            self.assertIn(code, caught.exception.codes)
        transaction.refresh_from_db()
        self.assertEqual(transaction.status, Status.EN_ATTENTE_SIGNATURE)

    def test_only_a_transaction_waiting_for_its_signature(self):
        transaction = self.upload(pes("PES-SIGNED"))
        with self.assertRaises(WorkflowError):
            submit_signed_file(
                transaction=transaction, actor=Actor.of_user(self.alice), filename="s.xml", data=signed_pes()
            )
