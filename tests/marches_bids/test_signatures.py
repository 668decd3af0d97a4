"""Signatures in opened bids are checked and shown: signer, certificate, validity at signing time."""

from django.test import TestCase

from bouquet.core.audit import Actor
from bouquet.marches.bids.models import DepositFile
from bouquet.marches.bids.services.opening import open_bids
from bouquet.marches.bids.signatures import verify_document
from bouquet.pki.testing import install_demo_trust
from tests.marches_bids.helpers import BidsTestCase, at, deposit
from tests.marches_bids.signing import cades_detached, pades, plain_pdf


class VerifyDocumentTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        install_demo_trust()

    def test_a_pades_signature_of_the_demo_pki_is_valid_and_names_its_signer(self):
        result = verify_document("ae.pdf", pades(plain_pdf()))
        self.assertEqual(result["status"], "signed")
        signature = result["signatures"][0]
        self.assertEqual(signature["format"], "PAdES")
        self.assertEqual(signature["signer"], "Marie Durand")
        self.assertIn("AC Agents", signature["certificate_issuer"])
        self.assertTrue(signature["intact"])
        self.assertTrue(signature["trusted"], signature["summary"])
        self.assertTrue(signature["ok"])
        self.assertTrue(signature["signing_time"])
        self.assertIn("Signature valide", signature["summary"])

    def test_a_modified_signed_pdf_is_reported_as_altered(self):
        signed = bytearray(pades(plain_pdf()))
        at = signed.find(b"Acte d'engagement")
        signed[at : at + 4] = b"ACTE"
        result = verify_document("ae.pdf", bytes(signed))
        self.assertEqual(result["status"], "signed")
        self.assertFalse(result["signatures"][0]["ok"])
        self.assertIn("modifié", result["signatures"][0]["summary"])

    def test_a_revoked_signer_is_not_trusted(self):
        result = verify_document("ae.pdf", pades(plain_pdf(), user="revoked"))
        signature = result["signatures"][0]
        self.assertTrue(signature["intact"])
        self.assertFalse(signature["trusted"])
        self.assertIn("révoqué", signature["summary"])

    def test_a_signer_from_an_unknown_authority_is_not_trusted(self):
        signature = verify_document("ae.pdf", pades(plain_pdf(), user="unknown_ca"))["signatures"][0]
        self.assertFalse(signature["ok"])
        self.assertIn("non reconnu", signature["summary"])

    def test_a_detached_cades_signature_is_checked_against_the_signed_file(self):
        content = plain_pdf("Mémoire technique")
        p7s = cades_detached(content)
        ok = verify_document("memoire.pdf.p7s", p7s, detached_content=content)
        self.assertEqual(ok["signatures"][0]["format"], "CAdES")
        self.assertTrue(ok["signatures"][0]["ok"], ok["message"])
        bad = verify_document("memoire.pdf.p7s", p7s, detached_content=content + b" ")
        self.assertFalse(bad["signatures"][0]["intact"])
        missing = verify_document("memoire.pdf.p7s", p7s)
        self.assertEqual(missing["status"], "unreadable")

    def test_a_xades_signature_is_checked_with_the_projects_xmlsec_verifier(self):
        from tests.helios.helpers import signed_pes

        result = verify_document("flux.xml", signed_pes())
        signature = result["signatures"][0]
        self.assertEqual(signature["format"], "XAdES")
        self.assertEqual(signature["signer"], "Marie Durand")
        self.assertTrue(signature["ok"], signature["summary"])
        altered = signed_pes().replace(b'<MtBordHT V="75724.75"/>', b'<MtBordHT V="95724.75"/>', 1)
        self.assertFalse(verify_document("flux.xml", altered)["signatures"][0]["intact"])

    def test_unsigned_and_hostile_files_give_a_plain_verdict(self):
        self.assertEqual(verify_document("rc.pdf", plain_pdf())["status"], "unsigned")
        self.assertEqual(verify_document("note.txt", b"bonjour")["status"], "unsigned")
        self.assertIn(
            verify_document("x.p7s", b"\x30\x82\xff\xff garbage")["status"], {"unsigned", "unreadable"}
        )
        self.assertEqual(verify_document("x.pdf", b"%PDF-1.7 broken")["status"], "unreadable")
        bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "xxxxxxxx">]><a>&b;<Signature/></a>'
        self.assertIn(verify_document("x.xml", bomb)["status"], {"unsigned", "unreadable"})


class OpeningChecksSignaturesTestCase(BidsTestCase):
    def test_opening_shows_the_verdict_of_each_signed_file(self):
        install_demo_trust()
        content = plain_pdf("Offre signée")
        with at(self.before()):
            result = deposit(
                self.consultation,
                self.dupont,
                self.routes,
                {
                    "lot-1": [
                        ("ae-signe.pdf", pades(content)),
                        ("memoire.pdf", content),
                        ("memoire.pdf.p7s", cades_detached(content)),
                        ("prix.pdf", plain_pdf()),
                    ]
                },
            )
        with at(self.after(10)):
            open_bids(consultation=self.consultation, actor=Actor.of_user(self.alice))
        files = {f.name: f for f in DepositFile.objects.filter(envelope__deposit=result)}
        self.assertTrue(all(f.integrity_ok for f in files.values()))
        self.assertEqual(files["ae-signe.pdf"].signature["signatures"][0]["signer"], "Marie Durand")
        self.assertTrue(files["ae-signe.pdf"].signature["signatures"][0]["ok"])
        self.assertTrue(files["memoire.pdf.p7s"].signature["signatures"][0]["ok"])
        self.assertEqual(files["prix.pdf"].signature["status"], "unsigned")
        self.login(self.alice)
        with at(self.after(20)):
            page = self.client.get(f"/depots/acheteur/pli/{result.pk}/")
        self.assertContains(page, "Marie Durand")
        self.assertContains(page, "Signature valide")
        self.assertContains(page, "Aucune signature électronique.")
