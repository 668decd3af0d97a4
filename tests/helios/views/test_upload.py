import re

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from bouquet.core.choices import ModuleCode
from bouquet.core.models import JournalEntry, ModuleRight, Subscription
from bouquet.helios.models import Transaction
from bouquet.helios.views.staging import FOLDER
from tests.helios.pes.signing import make_signer, sign_bordereaux
from tests.web.html import assert_clean_page

from .helpers import S2LOW, SIGNED, HeliosViewTestCase, Status, pes

URL = "/helios/deposer/"
CONFIRM = "/helios/deposer/confirmer/"


def upload(data: bytes, name: str = "flux.xml") -> dict:
    return {"fichier": SimpleUploadedFile(name, data, content_type="text/xml")}


def staged_files() -> list[str]:
    try:
        return default_storage.listdir(FOLDER)[1]
    except FileNotFoundError:
        return []


def ticket_of(response) -> str:
    return re.search(rb'name="ticket" value="([^"]+)"', response.content).group(1).decode()


class UploadPageTestCase(HeliosViewTestCase):
    def setUp(self):
        for name in staged_files():
            default_storage.delete(f"{FOLDER}/{name}")

    def test_it_redirects_anonymous_users_to_login(self):
        self.assertRedirects(self.client.get(URL), f"/connexion/?next={URL}")

    def test_it_shows_the_form_with_a_progress_bar(self):
        self.login(self.alice)
        r = self.client.get(URL)
        self.assertContains(r, "data-upload-progress")
        self.assertContains(r, '<progress class="upload-progress"')
        self.assertContains(r, "helios/helios.js")
        self.assertContains(r, "Après confirmation, il part vers Hélios.")
        assert_clean_page(self, r)

    def test_it_tells_a_read_only_user_and_refuses_the_post(self):
        self.login(self.bob)
        r = self.client.get(URL)
        self.assertContains(r, "pas en déposer")
        self.assertNotContains(r, '<form method="post" enctype')
        self.assertEqual(self.client.post(URL, upload(pes())).status_code, 403)
        self.assertEqual(self.client.post(CONFIRM, {"ticket": "x"}).status_code, 403)

    def test_it_is_404_when_the_authority_does_not_subscribe(self):
        Subscription.objects.filter(authority=self.authority_a, module__code=ModuleCode.HELIOS).delete()
        self.login(self.alice)
        self.assertEqual(self.client.get(URL).status_code, 404)

    def test_it_is_403_without_the_helios_right(self):
        ModuleRight.objects.filter(membership__user=self.bob, module__code=ModuleCode.HELIOS).update(
            access="none"
        )
        self.login(self.bob)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_it_reports_every_check_then_stores_nothing_until_confirmed(self):
        self.login(self.alice)
        journal = JournalEntry.objects.count()
        r = self.client.post(URL, upload(pes("PES_A_0042")))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Fichier conforme")
        self.assertContains(r, "PES_A_0042")
        self.assertContains(r, "Encodage ISO-8859-1 déclaré")
        self.assertContains(r, "NomFic jamais transmis pour ce code collectivité")
        self.assertEqual(r.content.decode().count('verdict-ok">conforme'), 10)
        self.assertContains(r, "Parties vérifiées : Enveloppe, EnTetePES")
        self.assertContains(r, "Aucune signature dans ce fichier")
        self.assertContains(r, "Envoyer à Hélios")
        assert_clean_page(self, r)
        self.assertFalse(Transaction.objects.exists())
        self.assertEqual(JournalEntry.objects.count(), journal)
        self.assertEqual(len(staged_files()), 1)

    def test_it_stores_the_exact_bytes_on_confirmation(self):
        data = pes("PES_A_0043")
        self.login(self.alice)
        ticket = ticket_of(self.client.post(URL, upload(data, "../../etc/flux 43.xml")))
        r = self.client.post(CONFIRM, {"ticket": ticket})
        transaction = Transaction.objects.get()
        self.assertRedirects(r, f"/helios/{transaction.pk}/", fetch_redirect_response=False)
        self.assertEqual(transaction.status, Status.POSTE)
        self.assertEqual(transaction.file.read(), data)
        self.assertEqual(transaction.filename, "flux 43.xml")  # no path ever kept
        self.assertEqual(staged_files(), [])
        r = self.client.get(r["Location"])
        self.assertContains(r, "part vers la DGFiP dans quelques minutes")
        # The same ticket cannot create a second transaction.
        self.client.post(CONFIRM, {"ticket": ticket})
        self.assertEqual(Transaction.objects.count(), 1)

    def test_a_cs_agent_deposits_for_a_tt_agent(self):
        self.login(self.cecile)
        r = self.client.post(URL, upload(pes("PES_A_0044")))
        self.assertContains(r, "Enregistrer le dépôt")
        self.client.post(CONFIRM, {"ticket": ticket_of(r)})
        self.assertEqual(Transaction.objects.get().status, Status.EN_ATTENTE_TELETRANSMISSION)

    def test_the_script_gets_the_address_to_go_to(self):
        self.login(self.alice)
        ticket = ticket_of(
            self.client.post(URL, upload(pes("PES_A_0045")), headers={"X-Requested-With": "XMLHttpRequest"})
        )
        r = self.client.post(CONFIRM, {"ticket": ticket}, headers={"X-Requested-With": "XMLHttpRequest"})
        self.assertEqual(r.json(), {"redirect": f"/helios/{Transaction.objects.get().pk}/"})

    def test_a_ticket_is_only_good_for_its_user_and_untouched(self):
        self.login(self.alice)
        ticket = ticket_of(self.client.post(URL, upload(pes("PES_A_0046"))))
        self.login(self.cecile)
        r = self.client.post(CONFIRM, {"ticket": ticket}, follow=True)
        self.assertContains(r, "pour une autre collectivité ou un autre compte")
        self.login(self.alice)
        r = self.client.post(CONFIRM, {"ticket": ticket[:-3] + "abc"}, follow=True)
        self.assertContains(r, "Confirmation invalide")
        self.assertFalse(Transaction.objects.exists())

    def test_it_refuses_a_file_and_says_why_with_the_line(self):
        cases = {
            "pes_aller_utf8.xml": "Le fichier doit déclarer l'encodage ISO-8859-1",
            "pes_aller_empty.xml": "Le PES est vide",
            "pes_aller_CodColTropLong.xml": "Le code collectivité (CodCol) « 1234 » dépasse 3 caractères.",
            "pes_aller_PasDeNomFic.xml": "L'identifiant du fichier (NomFic) est absent.",
            "pes_aller_IdColl_trop_long.xml": "Le SIRET (IdColl) « 123456789123456 » dépasse 14 caractères.",
            "wrong_root.xml": "Élément racine « wrong_root » inconnu",
            "pes_acquit.xml": "Un PES_ACQUIT ne peut pas être transmis à Hélios.",
        }
        self.login(self.alice)
        for name, message in cases.items():
            with self.subTest(name=name):
                r = self.client.post(URL, upload((S2LOW / name).read_bytes(), name))
                self.assertEqual(r.status_code, 422)
                self.assertContains(r, "Fichier refusé", status_code=422)
                self.assertContains(r, "Il n'a pas été enregistré ni envoyé", status_code=422)
                self.assertIn(message, r.content.decode().replace("&#x27;", "'").replace("&quot;", '"'))
                self.assertNotContains(r, 'name="ticket"', status_code=422)
        self.assertIn("Ligne 2 : Élément racine", self._refusal(S2LOW / "wrong_root.xml"))
        self.assertFalse(Transaction.objects.exists())
        self.assertEqual(staged_files(), [])

    def _refusal(self, path) -> str:
        r = self.client.post(URL, upload(path.read_bytes(), path.name))
        return r.content.decode().replace("&#x27;", "'")

    def test_it_refuses_hostile_and_broken_xml(self):
        head = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        cases = {
            "bomb": head + b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>',
            "external": head + b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
            "truncated": pes("PES_A_0047")[:1500],
            "not xml": b"%PDF-1.4 pas du tout du XML",
        }
        self.login(self.alice)
        for label, data in cases.items():
            with self.subTest(label):
                r = self.client.post(URL, upload(data))
                self.assertContains(r, "Fichier refusé", status_code=422)
        self.assertNotIn("root:", self._refusal_bytes(cases["external"]))
        self.assertRegex(self._refusal_bytes(cases["truncated"]), r"[Ll]igne \d+")
        self.assertFalse(Transaction.objects.exists())
        self.assertEqual(staged_files(), [])

    def _refusal_bytes(self, data: bytes) -> str:
        return self.client.post(URL, upload(data)).content.decode()

    def test_it_refuses_a_file_already_on_the_platform(self):
        self.deposit("PES_A_0048")
        self.login(self.alice)
        r = self.client.post(URL, upload(pes("PES_A_0048")))
        self.assertContains(r, "Doublon détecté : ce fichier a déjà été posté.", status_code=422)
        self.assertContains(r, "NomFic « PES_A_0048 » déjà transmis", status_code=422)
        self.assertEqual(Transaction.objects.count(), 1)

    @override_settings(HELIOS_MAX_FILE_SIZE=2000)
    def test_it_refuses_an_oversized_file_without_reading_it(self):
        self.login(self.alice)
        r = self.client.post(URL, upload(pes("PES_A_0049")))
        self.assertContains(r, "la limite est de 0 Mio", status_code=400)
        self.assertFalse(Transaction.objects.exists())

    def test_it_says_which_form_error_when_no_file_is_sent(self):
        self.login(self.alice)
        r = self.client.post(URL, {})
        self.assertContains(r, "Choisissez le fichier PES à déposer.", status_code=400)

    @override_settings(HELIOS_VERIFY_SIGNERS=False)
    def test_it_shows_each_signature_with_its_signer_and_time(self):
        self.login(self.alice)
        r = self.client.post(URL, upload(SIGNED.read_bytes(), SIGNED.name))
        self.assertContains(r, "Fichier conforme")
        self.assertContains(r, "Bordereau de dépense n° 1234567 (exercice 2009)")
        self.assertContains(r, "LOPES Celine")
        self.assertContains(r, "27/12/2017 à 15:21")  # 14:21 UTC, shown in Paris time
        self.assertContains(r, '<span class="verdict verdict-ok">valide</span>', html=False)
        self.assertContains(r, "Chaîne de certification du signataire non vérifiée.")

    @override_settings(HELIOS_VERIFY_SIGNERS=False)
    def test_a_changed_byte_in_a_signed_bordereau_refuses_the_file(self):
        data = SIGNED.read_bytes().replace(b'<MtHT V="39724.75"/>', b'<MtHT V="39724.76"/>')
        self.login(self.alice)
        r = self.client.post(URL, upload(data))
        self.assertContains(r, "Fichier refusé", status_code=422)
        self.assertContains(r, 'verdict-error">refusée', status_code=422)
        self.assertContains(r, "contenu modifié ou signature invalide", status_code=422)

    def test_an_unknown_signer_is_reported(self):
        signed = sign_bordereaux(pes("PES_A_0050"), make_signer("Maire Inconnu"))
        self.login(self.alice)
        r = self.client.post(URL, upload(signed))
        self.assertContains(r, "Maire Inconnu", status_code=422)
        self.assertContains(r, "autorité de certification reconnue", status_code=422)
        self.assertFalse(Transaction.objects.exists())

    def test_a_schema_error_has_its_line_and_a_french_explanation(self):
        data = pes("PES_A_0051").replace(b'<DteStr V="2015-06-16"/>', b'<DteStr V="16/06/2015"/>')
        self.login(self.alice)
        r = self.client.post(URL, upload(data))
        body = r.content.decode()
        self.assertIn("Conformité au schéma PES V2", body)
        row = re.search(r'<tr>\s*<th scope="row">(\d+)</th>\s*<td>EnTetePES</td>\s*<td>([^<]+)<', body)
        self.assertIsNotNone(row, body[body.find("schema-errors") : body.find("schema-errors") + 2000])
        self.assertEqual(row.group(1), "35")  # the line of DteStr in the file
        self.assertIn("DteStr", row.group(2))
        self.assertIn("à vérifier", body)  # rebuilt schema: reported, never refusing by itself

    def test_without_a_site_destinataire_nothing_can_be_sent(self):
        from bouquet.helios.models import HeliosParameters

        HeliosParameters.objects.filter(authority=self.authority_a).update(p_dest="")
        self.login(self.alice)
        self.assertContains(self.client.get(URL), "site destinataire Hélios (P_DEST)")
        r = self.client.post(URL, upload(pes("PES_A_0052")))
        self.assertContains(r, "Fichier refusé", status_code=422)
        self.assertContains(r, "Demandez ce code à votre Trésorerie", status_code=422)

    def test_an_old_report_must_be_checked_again(self):
        from unittest import mock

        from bouquet.helios.views import staging

        self.login(self.alice)
        ticket = ticket_of(self.client.post(URL, upload(pes("PES_A_0053"))))
        with mock.patch.object(staging, "MAX_AGE", staging.MAX_AGE * -1):
            r = self.client.post(CONFIRM, {"ticket": ticket}, follow=True)
        self.assertContains(r, "Le rapport de contrôle a expiré : déposez de nouveau le fichier.")
        self.assertFalse(Transaction.objects.exists())
