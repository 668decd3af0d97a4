"""The page-side helpers: how findings, signers and windows are put into words."""

from django.test import SimpleTestCase

from bouquet.helios.errors import RefusalItem
from bouquet.helios.services.preflight import PreflightReport
from bouquet.helios.views.preflight import arrange, common_name
from bouquet.helios.views.windows import days_text, hours_text


class PresentationTestCase(SimpleTestCase):
    def test_a_signer_is_named_by_its_common_name(self):
        subject = "1.2.840.113549.1.9.1=celine@example.test,CN=LOPES_Celine,OU=Production,C=FR"
        self.assertEqual(common_name(subject), "LOPES Celine")
        self.assertEqual(common_name("O=Mairie,C=FR"), "O=Mairie,C=FR")
        self.assertEqual(common_name(None), "signataire inconnu")

    def test_an_unreadable_file_has_its_reason_and_line(self):
        item = RefusalItem("not_well_formed", "Le fichier n'est pas du XML bien formé.", 12)
        view = arrange(PreflightReport("x.xml", 10, None, None, None, (item,)))
        self.assertFalse(view.accepted)
        self.assertEqual(view.reasons, ["Ligne 12 : Le fichier n'est pas du XML bien formé."])
        self.assertEqual(view.checks, ())

    def test_windows_in_words(self):
        self.assertEqual(hours_text(frozenset(range(24))), "toute la journée")
        self.assertEqual(hours_text(frozenset({8, 9, 10, 14})), "de 8 h à 11 h, de 14 h à 15 h")
        self.assertEqual(days_text(frozenset({0, 1, 2, 3, 4})), "du lundi au vendredi")
        self.assertEqual(days_text(frozenset({5})), "samedi")
        self.assertEqual(days_text(frozenset()), "aucun jour (envoi suspendu)")
