import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from bouquet.actes.choices import FileRole, Status
from bouquet.actes.models import Transaction
from tests.web.html import assert_clean_page

from .helpers import PDF, PNG, ActesViewTestCase

URL = "/actes/lot/"
CSV = (
    "numero;nature;date;objet;classification;document;typologie;annexes;typologies annexes\n"
    "2025_D020;DE;10/03/2025;Vente d'une parcelle;3.2;d20.pdf;;plan.pdf|photo.png;22_NE|99_AU\n"
    "2025_D021;1;2025-03-11;Tarifs de la cantine;7.1;d21.pdf;99_DE;;\n"
    "2025-BAD;1;12/03/2025;Numéro invalide;7.1;d22.pdf;;;\n"
    "2025_D023;DE;13/03/2025;Fichier absent;7.1;absent.pdf;;;\n"
    "2025_D024;ZZ;13/03/2025;Nature inconnue;7.1;d21.pdf;;;\n"
)


def files(*names: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(n, PNG if n.endswith(".png") else PDF) for n in names]


class BatchTestCase(ActesViewTestCase):
    def post(self, sheet: bytes, name: str = "lot.csv", documents=None):
        documents = (
            documents
            if documents is not None
            else files("d20.pdf", "d21.pdf", "d22.pdf", "plan.pdf", "photo.png")
        )
        return self.client.post(URL, {"sheet": SimpleUploadedFile(name, sheet), "files": documents})

    def test_it_redirects_anonymous_users_to_login(self):
        self.assertRedirects(self.client.get(URL), f"/connexion/?next={URL}")

    def test_it_is_403_for_read_only_users(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.post(CSV.encode()).status_code, 403)
        self.assertFalse(Transaction.objects.exists())

    def test_it_creates_the_good_rows_and_reports_the_bad_ones(self):
        self.login(self.alice)
        r = self.post(CSV.encode())
        assert_clean_page(self, r)
        outcomes = r.context["outcomes"]
        self.assertEqual(
            [(o.line, o.created) for o in outcomes],
            [(2, True), (3, True), (4, False), (5, False), (6, False)],
        )
        self.assertIn("Numéro interne '2025-BAD' invalide", outcomes[2].error)
        self.assertEqual(
            outcomes[3].error, "Le fichier « absent.pdf » ne fait pas partie des documents joints."
        )
        self.assertIn("nature « ZZ » inconnue", outcomes[4].error)
        self.assertContains(r, "2 actes enregistrés, 3 lignes en erreur")
        first = Transaction.objects.get(number="2025_D020")
        self.assertEqual(first.status, Status.POSTE)
        self.assertEqual(
            list(first.files.order_by("position").values_list("role", "typology")),
            [(FileRole.MAIN, "99_DE"), (FileRole.ANNEX, "22_NE"), (FileRole.ANNEX, "99_AU")],
        )

    def test_it_reads_an_excel_sheet(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Numéro", "Nature", "Date", "Objet", "Classification", "Document"])
        sheet.append(["2025_X1", 3, dt.datetime(2025, 3, 10), "Arrêté de nomination", "4.1", "d20.pdf"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.login(self.alice)
        r = self.post(buffer.getvalue(), "lot.xlsx")
        (outcome,) = r.context["outcomes"]
        self.assertTrue(outcome.created, outcome.error)
        act = Transaction.objects.get(number="2025_X1")
        self.assertEqual((act.nature, act.files.get().typology), (3, "99_AI"))

    def test_it_explains_a_sheet_it_cannot_use(self):
        self.login(self.alice)
        r = self.post(b"numero;objet\n2025_A;Test\n")
        self.assertEqual(
            r.context["form"].errors["sheet"],
            ["Colonnes manquantes dans la première ligne : nature, date, classification, document."],
        )
        r = self.post(CSV.splitlines()[0].encode())
        self.assertContains(r, "Le tableau ne contient aucun acte")
        r = self.post(CSV.encode(), documents=[])
        self.assertContains(r, "Joignez les documents cités dans le tableau.")
        self.assertFalse(Transaction.objects.exists())
