from django.core.files.uploadedfile import SimpleUploadedFile

from bouquet.actes import workflow
from bouquet.actes.choices import ResponseKind, Status, TransactionType
from bouquet.actes.models import Transaction
from bouquet.core.audit import Actor
from bouquet.core.models import JournalEntry
from tests.web.html import assert_clean_page

from .helpers import PDF, ActesViewTestCase

INBOX = "/actes/courriers/"


def upload(name: str = "reponse.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class LettersTestCase(ActesViewTestCase):
    def setUp(self):
        self.act = self.acknowledged()

    def courrier_simple(self) -> Transaction:
        return workflow.create_transaction(
            actor=Actor.system("test"),
            status=Status.DOCUMENT_RECU_PAS_AR,
            message="Reçu par le Tdt (pas d'AR envoyé)",
            authority=self.authority_a,
            type=TransactionType.COURRIER_SIMPLE,
            nature=self.act.nature,
            number=self.act.number,
            subject="Merci de préciser le plan de financement",
            id_acte=self.act.id_acte,
            related=self.act,
        )

    def test_it_redirects_anonymous_users_to_login(self):
        self.assertRedirects(self.client.get(INBOX), f"/connexion/?next={INBOX}")
        letter = self.letter(self.act, "3-1")
        url = f"/actes/{letter.pk}/repondre/"
        self.assertRedirects(self.client.post(url), f"/connexion/?next={url}", fetch_redirect_response=False)

    def test_it_lists_unread_letters_first_and_marks_them_read_when_opened(self):
        read = self.letter(self.act, "3-1")
        Transaction.objects.filter(pk=read.pk).update(is_read=True)
        unread = self.courrier_simple()
        self.login(self.bob)
        r = self.client.get(INBOX)
        assert_clean_page(self, r)
        self.assertEqual([t.pk for t in r.context["page"].object_list], [unread.pk, read.pk])
        self.assertContains(r, '<span class="tag">non lu</span>', count=1)
        page = self.client.get(f"/actes/{unread.pk}/")
        self.assertContains(page, "Merci de préciser le plan de financement")
        unread.refresh_from_db()
        self.assertTrue(unread.is_read)
        self.assertTrue(
            JournalEntry.objects.filter(action="actes.document_read", object_id=str(unread.pk)).exists()
        )
        self.assertNotContains(self.client.get(INBOX), '<span class="tag">non lu</span>')
        self.assertNotContains(page, "Répondre au courrier")  # bob reads only

    def test_it_shows_the_letter_and_its_answer_forms(self):
        letter = self.letter(self.act, "3-1")
        self.login(self.alice)
        r = self.client.get(f"/actes/{letter.pk}/")
        assert_clean_page(self, r)
        self.assertContains(r, "Le plan de la parcelle")
        self.assertContains(r, "Courrier de la préfecture")
        self.assertContains(r, "Envoyer les pièces complémentaires")
        self.assertContains(r, "Refuser d&#x27;envoyer les pièces")
        self.assertContains(r, f'href="/actes/{self.act.pk}/"')

    def test_it_sends_the_requested_documents(self):
        letter = self.letter(self.act, "3-1")
        self.login(self.alice)
        r = self.client.post(
            f"/actes/{letter.pk}/repondre/",
            {"kind": ResponseKind.ENVOI, "document": upload("plan.pdf"), "annexes": [upload("annexe.pdf")]},
        )
        self.assertRedirects(r, f"/actes/{letter.pk}/", fetch_redirect_response=False)
        answer = Transaction.objects.get(related=letter)
        self.assertEqual((answer.response_kind, answer.status, answer.files.count()), (4, Status.POSTE, 2))
        page = self.client.get(f"/actes/{letter.pk}/")
        self.assertContains(page, "Votre réponse est déposée")
        self.assertNotContains(page, "Envoyer les pièces complémentaires</button>")

    def test_it_refuses_to_send_the_documents(self):
        letter = self.letter(self.act, "3-1")
        self.login(self.alice)
        self.client.post(f"/actes/{letter.pk}/repondre/", {"kind": ResponseKind.REFUS, "document": upload()})
        self.assertEqual(Transaction.objects.get(related=letter).response_kind, ResponseKind.REFUS)

    def test_it_answers_and_rejects_a_lettre_d_observations(self):
        letter = self.letter(self.act, "4-1")
        self.login(self.alice)
        r = self.client.get(f"/actes/{letter.pk}/")
        self.assertContains(r, "Répondre à la lettre d&#x27;observations")
        self.assertContains(r, "Rejeter la lettre d&#x27;observations")
        self.client.post(f"/actes/{letter.pk}/repondre/", {"kind": ResponseKind.REFUS, "document": upload()})
        answer = Transaction.objects.get(related=letter)
        self.assertEqual((answer.type, answer.response_kind), (TransactionType.LETTRE_OBSERVATIONS, 3))

    def test_it_answers_a_courrier_simple(self):
        letter = self.courrier_simple()
        self.login(self.alice)
        self.assertContains(self.client.get(f"/actes/{letter.pk}/"), "Répondre au courrier")
        self.client.post(f"/actes/{letter.pk}/repondre/", {"kind": ResponseKind.ENVOI, "document": upload()})
        self.assertEqual(Transaction.objects.get(related=letter).subject, "Réponse (2-2)")

    def test_it_shows_answer_errors_next_to_the_document(self):
        letter = self.letter(self.act, "3-1")
        self.login(self.alice)
        r = self.client.post(
            f"/actes/{letter.pk}/repondre/",
            {"kind": ResponseKind.REFUS, "document": upload("a.txt", b"texte")},
        )
        self.assertContains(r, "Le document n° 1 doit être un fichier PDF, XML, JPEG ou PNG.")
        r = self.client.post(f"/actes/{letter.pk}/repondre/", {"kind": ResponseKind.ENVOI})
        self.assertContains(r, "Ce champ est obligatoire.")
        self.assertFalse(Transaction.objects.filter(related=letter).exists())

    def test_it_is_403_for_read_only_users(self):
        letter = self.letter(self.act, "3-1")
        self.login(self.bob)
        r = self.client.post(
            f"/actes/{letter.pk}/repondre/", {"kind": ResponseKind.ENVOI, "document": upload()}
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Transaction.objects.filter(related=letter).exists())
