import datetime as dt
from unittest import mock

from bouquet.actes.choices import FileRole, Status
from bouquet.actes.errors import ActesServiceError, ActValidationError, RightsError
from bouquet.actes.models import StoredFile, Transaction
from bouquet.actes.services.common import Document
from bouquet.core.audit import Actor

from .helpers import PDF, PNG, ActesTestCase


class CreateActTestCase(ActesTestCase):
    def assert_refused(self, message: str, **changes) -> None:
        before = Transaction.objects.count()
        with self.assertRaises(ActValidationError) as caught:
            self.create(**changes)
        self.assertIn(message, caught.exception.message)
        self.assertEqual(Transaction.objects.count(), before)

    def test_it_creates_a_posted_act_with_its_files_and_history(self):
        act = self.create(annexes=[Document("plan.png", PNG, "99_AU")])
        self.assertEqual(act.status, Status.POSTE)
        self.assertEqual(act.classification, "3.2")
        self.assertEqual(act.classification_date, dt.date(2024, 1, 1))
        files = list(act.files.all())
        self.assertEqual([f.role for f in files], [FileRole.MAIN, FileRole.ANNEX])
        self.assertEqual(files[0].business_name, "99_DE-021-210100012-20250310-2025_D001-DE-1-1_1.pdf")
        self.assertEqual(files[1].business_name, "99_AU-021-210100012-20250310-2025_D001-DE-1-1_2.png")
        self.assertEqual(files[1].mime_type, "image/png")
        self.assertEqual(files[0].read(), PDF)
        self.assertEqual(list(act.history.values_list("status", "message")), [(1, "Dépôt initial")])

    def test_it_stores_identical_content_once(self):
        self.create(annexes=[Document("copie.pdf", PDF, "99_AU")])
        self.assertEqual(StoredFile.objects.count(), 1)

    def test_it_puts_a_cs_only_user_act_in_waiting(self):
        act = self.create(actor=Actor.of_user(self.cecile))
        self.assertEqual(act.status, Status.EN_ATTENTE_POSTE)
        self.assertEqual(act.history.get().message, "Dépôt dans un état d'attente")

    def test_it_waits_or_awaits_signature_on_request(self):
        self.assertEqual(self.create(wait=True).status, Status.EN_ATTENTE_POSTE)
        self.assertEqual(self.create(number="2025_D002", must_sign=True).status, Status.EN_ATTENTE_SIGNATURE)

    def test_it_refuses_a_read_only_user_and_another_tenants_user(self):
        for user in (self.bob, self.charlie):
            with self.assertRaises(RightsError):
                self.create(actor=Actor.of_user(user))

    def test_it_refuses_a_bad_numero_interne(self):
        self.assert_refused("Numéro interne '2025-d1' invalide", number="2025-d1")

    def test_it_refuses_a_duplicate_numero_interne(self):
        self.create()
        with self.assertRaises(ActValidationError) as caught:
            self.create()
        self.assertIn("Le numéro interne 2025_D001 est déjà utilisé.", caught.exception.message)

    def test_it_refuses_a_long_subject(self):
        self.assert_refused("L'objet fait 501 caractères, le maximum est 500.", subject="x" * 501)

    def test_it_refuses_a_future_date(self):
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        self.assert_refused(
            f"La date de décision {tomorrow:%d/%m/%Y} est dans le futur.", decision_date=tomorrow
        )

    def test_it_refuses_missing_classification_levels(self):
        self.assert_refused("La classification doit préciser les niveaux 1 et 2.", classification="3")

    def test_it_refuses_an_unknown_classification(self):
        self.assert_refused("La classification 3.9 n'existe pas", classification="3.9")

    def test_it_sniffs_the_main_document(self):
        act = self.create(document=Document("deliberation.xml", PDF, "99_DE"))
        self.assertTrue(act.files.get().business_name.endswith("_1.pdf"))
        self.assert_refused(
            "Le document principal doit être un PDF.",
            number="2025_D002",
            document=Document("photo.pdf", PNG, "99_DE"),
        )

    def test_it_refuses_an_annex_of_the_wrong_type(self):
        self.assert_refused(
            "L'annexe n° 1 doit être un fichier PDF, XML, JPEG ou PNG.",
            annexes=[Document("tableur.pdf", b"PK\x03\x04 not a pdf", "99_AU")],
        )

    def test_it_refuses_a_typology_not_allowed_for_the_nature(self):
        self.assert_refused(
            "La typologie du document principal (99_AI) n'est pas autorisée pour la nature 1.",
            document=Document("deliberation.pdf", PDF, "99_AI"),
        )

    def test_it_refuses_a_missing_annex_typology(self):
        self.assert_refused(
            "La typologie de l'annexe n° 1 est obligatoire.", annexes=[Document("a.pdf", PDF, None)]
        )

    def test_it_refuses_an_archive_over_the_limit(self):
        with mock.patch("bouquet.actes.services.common.MAX_ARCHIVE_SIZE", 10):
            self.assert_refused("le maximum est 0 Mio")

    def test_it_needs_a_classification(self):
        self.authority_a.actes_classifications.all().delete()
        with self.assertRaisesMessage(
            ActesServiceError, "La classification de la collectivité n'a pas encore été reçue"
        ):
            self.create()
