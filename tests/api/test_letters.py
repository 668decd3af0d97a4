from django.urls import reverse

from bouquet.actes.choices import ResponseKind, Status, TransactionType
from bouquet.actes.models import Transaction
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from tests.actes.services import ministry
from tests.actes.services.helpers import make_mail

from .helpers import PDF, ApiTestCase, upload

LETTERS = reverse("api:letter_list")


class LettersTestCase(ApiTestCase):
    def setUp(self):
        self.act = self.transmitted()
        apply_inbound_mail(mail=make_mail(ministry.ar_acte(self.act), key="<ar@ministere.test>"))
        self.act.refresh_from_db()
        apply_inbound_mail(mail=make_mail(ministry.letter(self.act, "3-1"), key="<lettre@ministere.test>"))
        self.letter = Transaction.objects.get(related=self.act, response_kind__isnull=True)

    def url(self, name: str, pk: int | None = None) -> str:
        return reverse(f"api:{name}", kwargs={"pk": pk or self.letter.pk})

    def test_it_lists_received_documents(self):
        rows = self.get(LETTERS).json()["results"]
        self.assertEqual([r["id"] for r in rows], [self.letter.pk])
        self.assertEqual(
            (rows[0]["type"], rows[0]["is_read"]), (TransactionType.PIECES_COMPLEMENTAIRES, False)
        )
        self.assertEqual(self.get(f"{LETTERS}?type=4").json()["count"], 0)
        self.assertEqual(self.get(LETTERS, token=self.token_charlie).json()["count"], 0)

    def test_it_marks_a_document_read(self):
        self.assertEqual(self.get(f"{LETTERS}?unread=true").json()["count"], 1)
        body = self.post(self.url("letter_read")).json()
        self.assertTrue(body["is_read"])
        self.assertEqual(self.get(f"{LETTERS}?unread=true").json()["count"], 0)
        self.assertEqual(self.get(f"{LETTERS}?unread=false").json()["count"], 1)

    def test_the_letter_file_downloads_byte_for_byte(self):
        files = self.get(reverse("api:transaction_files", kwargs={"pk": self.letter.pk})).json()
        (row,) = [f for f in files if f["mime_type"] == "application/pdf"]
        self.assertEqual(self.get(row["download_url"]).content, b"%PDF-1.4 courrier\n%%EOF")

    def test_it_answers_a_letter(self):
        data = {"kind": str(ResponseKind.ENVOI), "document": upload("plan.pdf"), "annexes": [upload("b.pdf")]}
        response = self.post(self.url("letter_answer"), data=data)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            (body["related"], body["response_kind"], body["status"]), (self.letter.pk, 4, Status.POSTE)
        )
        self.assertEqual([f["role"] for f in body["files"]], ["main", "annex"])
        self.assertEqual(self.get(body["files"][0]["download_url"]).content, PDF)
        # An answer is not a received document: it cannot be answered or marked read.
        self.assert_error(self.post(self.url("letter_read", body["id"])), 404, "not_found")

    def test_it_refuses_bad_answers(self):
        url = self.url("letter_answer")
        body = self.assert_error(
            self.post(url, data={"kind": "9", "document": upload("a.pdf")}), 400, "invalid"
        )
        self.assertIn("kind", body["errors"])
        data = {"kind": "4", "document": upload("a.txt", b"texte brut")}
        self.assert_error(self.post(url, data=data), 400, "refused", "PDF")
        data = {"kind": "4", "document": upload("a.pdf")}
        self.assert_error(self.post(url, token=self.token_bob, data=data), 403, "forbidden")

    def test_a_letter_is_answered_once_it_is_no_longer_answerable(self):
        Transaction.objects.filter(pk=self.letter.pk).update(status=Status.ERREUR)
        data = {"kind": "4", "document": upload("a.pdf")}
        self.assert_error(self.post(self.url("letter_answer"), data=data), 409, "conflict")

    def test_an_act_is_not_a_letter(self):
        self.assert_error(self.post(self.url("letter_read", self.act.pk)), 404, "not_found")
