import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from bouquet.actes.choices import FileRole, Status
from bouquet.actes.models import Classification, Transaction
from tests.web.html import assert_clean_page

from .helpers import PDF, PNG, ActesViewTestCase

URL = "/actes/nouveau/"


def upload(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class NewActTestCase(ActesViewTestCase):
    def data(self, **changes) -> dict:
        values = {
            "nature": "1",
            "number": "2025_d010",
            "decision_date": "2025-03-10",
            "subject": "Délibération  portant   vente d'une parcelle",
            "classification": "3.2",
            "main_document": upload("deliberation.pdf"),
            "main_typology": "99_DE",
            "annexes": [upload("plan.pdf"), upload("photo.png", PNG)],
            "annex_typology": ["22_NE", "99_AU"],
            "document_papier": "on",
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v is not None}

    def test_it_redirects_anonymous_users_to_login(self):
        self.assertRedirects(self.client.get(URL), f"/connexion/?next={URL}")

    def test_it_is_403_for_read_only_users(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.client.post(URL, self.data()).status_code, 403)
        self.assertFalse(Transaction.objects.exists())

    def test_it_shows_the_classification_tree_and_typologies(self):
        self.login(self.alice)
        r = self.client.get(URL)
        assert_clean_page(self, r)
        self.assertContains(r, '<optgroup label="3 Domaine et patrimoine">', html=False)
        self.assertContains(r, '<option value="3.2">3.2 Aliénations</option>', html=True)
        self.assertContains(r, 'id="classification-filter"')
        self.assertContains(r, "99_DE — Délibération")
        self.assertContains(r, 'data-pattern="^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$"')
        self.assertContains(r, 'data-siren="210100012"')

    @override_settings(BACKOFFICE_ACTES_CONVENTION_REQUIRED=True)
    def test_without_a_signed_convention_the_form_says_why_and_nothing_is_created(self):
        self.login(self.alice)
        r = self.client.post(URL, self.data())
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "aucune convention de télétransmission ACTES signée n&#x27;est en vigueur")
        self.assertFalse(Transaction.objects.exists())

    def test_it_creates_the_act_with_its_annexes_and_their_typologies(self):
        self.login(self.alice)
        r = self.client.post(URL, self.data())
        act = Transaction.objects.get()
        self.assertRedirects(r, f"/actes/{act.pk}/", fetch_redirect_response=False)
        self.assertEqual(
            (act.number, act.status, act.subject, act.classification, act.document_papier),
            ("2025_D010", Status.POSTE, "Délibération portant vente d'une parcelle", "3.2", True),
        )
        files = list(
            act.files.order_by("position").values_list("original_name", "role", "typology", "business_name")
        )
        self.assertEqual(
            files,
            [
                (
                    "deliberation.pdf",
                    FileRole.MAIN,
                    "99_DE",
                    "99_DE-021-210100012-20250310-2025_D010-DE-1-1_1.pdf",
                ),
                ("plan.pdf", FileRole.ANNEX, "22_NE", "22_NE-021-210100012-20250310-2025_D010-DE-1-1_2.pdf"),
                ("photo.png", FileRole.ANNEX, "99_AU", "99_AU-021-210100012-20250310-2025_D010-DE-1-1_3.png"),
            ],
        )
        page = self.client.get(f"/actes/{act.pk}/")
        self.assertContains(page, "L&#x27;acte 2025_D010 est enregistré")

    def test_it_applies_one_annex_typology_to_every_annex_without_script(self):
        self.login(self.alice)
        self.client.post(URL, self.data(annex_typology="99_AU"))
        self.assertEqual(
            list(
                Transaction.objects.get().files.filter(role=FileRole.ANNEX).values_list("typology", flat=True)
            ),
            ["99_AU", "99_AU"],
        )

    def test_it_waits_for_a_tt_agent_when_the_author_may_only_prepare(self):
        self.login(self.cecile)
        self.client.post(URL, self.data())
        self.assertEqual(Transaction.objects.get().status, Status.EN_ATTENTE_POSTE)

    def test_it_answers_the_upload_script_with_the_address_to_go_to(self):
        self.login(self.alice)
        r = self.client.post(URL, self.data(), headers={"X-Requested-With": "XMLHttpRequest"})
        self.assertEqual(r.json(), {"redirect": f"/actes/{Transaction.objects.get().pk}/"})

    def test_it_remembers_the_last_typologies_of_the_authority(self):
        self.login(self.alice)
        self.client.post(URL, self.data(main_typology="99_AU", annex_typology=["22_NE"]))
        r = self.client.get(URL)
        self.assertEqual(r.context["form"].initial["main_typology"], "99_AU")
        self.assertEqual(r.context["form"].initial["annex_typology"], "22_NE")
        self.assertContains(r, "&quot;main&quot;: &quot;99_AU&quot;")

    def assert_error(self, changes: dict, field: str, message: str) -> None:
        r = self.client.post(URL, self.data(**changes))
        self.assertEqual(r.status_code, 200)
        errors = r.context["form"].errors
        self.assertIn(message, errors.get(field, []), errors)
        self.assertContains(r, "field-error")
        self.assertFalse(Transaction.objects.filter(number="2025_D010").exists())

    def test_it_explains_each_error_next_to_its_field(self):
        self.login(self.alice)
        self.create(number="2025_D001")
        later = dt.date.today() + dt.timedelta(days=2)
        tomorrow, future = later.isoformat(), f"{later:%d/%m/%Y}"
        cases = [
            (
                {"number": "2025-D1"},
                "number",
                "Numéro invalide : utilisez de 1 à 15 majuscules, chiffres ou « _ » (ex. 2025_D012).",
            ),
            (
                {"number": "_2025"},
                "number",
                "Numéro invalide : utilisez de 1 à 15 majuscules, chiffres ou « _ » (ex. 2025_D012).",
            ),
            ({"number": "2025_D001"}, "number", "Le numéro interne 2025_D001 est déjà utilisé."),
            ({"number": ""}, "number", "Ce champ est obligatoire."),
            ({"subject": "   "}, "subject", "Ce champ est obligatoire."),
            ({"decision_date": "10/13/2025"}, "decision_date", "Saisissez une date valide."),
            (
                {"classification": "9.9"},
                "classification",
                "Sélectionnez un choix valide. 9.9 n’en fait pas partie.",
            ),
            ({"main_document": None}, "main_document", "Ce champ est obligatoire."),
            (
                {"main_document": upload("acte.txt", b"hello")},
                "main_document",
                "Le document principal doit être un PDF.",
            ),
            (
                {"main_typology": "99_AR"},
                "main_typology",
                "La typologie du document principal (99_AR) n'est pas autorisée pour la nature 1.",
            ),
            (
                {"annexes": [upload("notes.txt", b"plain text")]},
                "annexes",
                "L'annexe n° 1 doit être un fichier PDF, XML, JPEG ou PNG.",
            ),
            (
                {"decision_date": tomorrow},
                "decision_date",
                f"La date de décision {future} est dans le futur.",
            ),
        ]
        for changes, field, message in cases:
            with self.subTest(changes=changes):
                self.assert_error(changes, field, message)

    def test_it_says_when_the_classification_is_missing(self):
        Classification.objects.filter(authority=self.authority_a).delete()
        self.login(self.alice)
        self.assertContains(
            self.client.get(URL), "La classification de votre collectivité n&#x27;a pas encore été reçue"
        )
