"""Questions from company accounts before the deadline; answers published to all downloaders."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bouquet.marches.choices import Status
from bouquet.marches.errors import QuestionsClosed, RightsError, WorkflowError
from bouquet.marches.models import Downloader, Question
from bouquet.marches.services.questions import answer_question, ask_question
from tests.marches.helpers import SIRET_2, MarchesTestCase, make_company_user, make_consultation


class QuestionsTestCase(MarchesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.company_user, cls.company = make_company_user()

    def setUp(self):
        self.consultation = make_consultation(self.authority_a, "QR", status=Status.PUBLISHED)

    def test_a_company_asks_and_the_buyer_is_told(self):
        self.client.force_login(self.company_user)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("marches_public:question_ask", args=[self.consultation.pk]),
                {"text": "La visite est-elle obligatoire ?"},
                follow=True,
            )
        self.assertContains(response, "Question envoyée")
        question = Question.objects.get()
        self.assertEqual((question.company, question.asked_by), (self.company, self.company_user))
        self.assertEqual([m.to for m in mail.outbox], [[self.alice.email]])  # bob only reads
        self.assertTrue(Downloader.objects.filter(email=self.company_user.email).exists())
        self.assertEqual(self.consultation.events.filter(kind="question_asked").count(), 1)

    def test_questions_after_the_deadline_are_refused(self):
        self.consultation.question_deadline = timezone.now() - timedelta(minutes=1)
        self.consultation.save()
        with self.assertRaises(QuestionsClosed):
            ask_question(consultation=self.consultation, user=self.company_user, text="Trop tard ?")
        self.client.force_login(self.company_user)
        response = self.client.post(
            reverse("marches_public:question_ask", args=[self.consultation.pk]),
            {"text": "Trop tard ?"},
            follow=True,
        )
        self.assertContains(response, "La date limite pour poser des questions est passée")
        self.assertFalse(Question.objects.exists())

    def test_without_question_deadline_the_bid_deadline_applies(self):
        self.consultation.question_deadline = None
        self.consultation.bid_deadline = timezone.now() - timedelta(seconds=1)
        self.consultation.save()
        with self.assertRaises(QuestionsClosed):
            ask_question(consultation=self.consultation, user=self.company_user, text="?")

    def test_an_account_is_required_and_it_must_be_a_company_one(self):
        url = reverse("marches_public:question_ask", args=[self.consultation.pk])
        self.client.post(url, {"text": "Anonyme ?"})
        with self.assertRaises(RightsError):
            ask_question(consultation=self.consultation, user=self.alice, text="Agent ?")
        self.client.force_login(self.alice)
        self.client.post(url, {"text": "Agent ?"})
        self.assertFalse(Question.objects.exists())

    def test_bad_questions_are_refused(self):
        self.client.force_login(self.company_user)
        url = reverse("marches_public:question_ask", args=[self.consultation.pk])
        self.client.post(url, {"text": "   "})
        self.client.post(url, {"text": "x" * 5001})
        self.assertFalse(Question.objects.exists())

    def test_the_answer_goes_to_every_registered_downloader_without_the_author(self):
        question = ask_question(consultation=self.consultation, user=self.company_user, text="Variantes ?")
        Downloader.objects.create(consultation=self.consultation, email="veille@example.test")
        other_user, _ = make_company_user("autre@example.test", SIRET_2, "Autre SARL")
        Downloader.objects.create(consultation=self.consultation, email=other_user.email)
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("marches:answer", args=[self.consultation.pk, question.pk]),
                {"answer": "Non autorisées."},
            )
        recipients = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(
            recipients, sorted([self.company_user.email, "veille@example.test", other_user.email])
        )
        for message in mail.outbox:
            self.assertIn("Variantes ?", message.body)
            self.assertIn("Non autorisées.", message.body)
            self.assertNotIn(self.company.name, message.body)
        page = self.client.get(reverse("marches_public:consultation", args=[self.consultation.pk]))
        self.assertContains(page, "Non autorisées.")
        with self.assertRaises(WorkflowError):
            answer_question(question=question, actor=self.alice, answer="Encore")

    def test_read_only_buyers_cannot_answer(self):
        question = ask_question(consultation=self.consultation, user=self.company_user, text="?")
        with self.assertRaises(RightsError):
            answer_question(question=question, actor=self.bob, answer="Non")
        self.login(self.bob)
        response = self.client.post(
            reverse("marches:answer", args=[self.consultation.pk, question.pk]), {"answer": "x"}
        )
        self.assertEqual(response.status_code, 403)
