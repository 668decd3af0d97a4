"""Published modifications: versioned, and every registered downloader is told by e-mail."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bouquet.core.models import JournalEntry
from bouquet.marches.choices import Status
from bouquet.marches.errors import InvalidData, WorkflowError
from bouquet.marches.models import Downloader
from bouquet.marches.services.modify_consultation import Modification, modify_consultation
from tests.marches.helpers import MarchesTestCase, make_consultation, pdf_upload


class ModifyTestCase(MarchesTestCase):
    def setUp(self):
        self.consultation = make_consultation(
            self.authority_a, "MODIF", status=Status.PUBLISHED, files=["RC.pdf", "CCTP.pdf"]
        )
        Downloader.objects.create(consultation=self.consultation, email="un@example.test")
        Downloader.objects.create(consultation=self.consultation, email="deux@example.test")
        Downloader.objects.create(
            consultation=self.consultation, email="parti@example.test", unsubscribed_at=timezone.now()
        )
        other = make_consultation(self.authority_a, "AUTRE", status=Status.PUBLISHED)
        Downloader.objects.create(consultation=other, email="autre@example.test")

    def test_registered_downloaders_are_told_of_a_modification(self):
        self.login(self.alice)
        cctp = self.consultation.dce_files.get(name="CCTP.pdf")
        new_deadline = timezone.localtime(self.consultation.bid_deadline + timedelta(days=7))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("marches:modify", args=[self.consultation.pk]),
                {
                    "summary": "Report de la date limite et nouveau règlement.",
                    "bid_deadline": new_deadline.strftime("%Y-%m-%dT%H:%M"),
                    "question_deadline": "",
                    "notice_text": self.consultation.notice_text,
                    "files": [pdf_upload("RC.pdf", b"v2")],
                    "withdrawn": [str(cctp.pk)],
                },
            )
        self.assertRedirects(response, reverse("marches:detail", args=[self.consultation.pk]))
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["deux@example.test", "un@example.test"])
        message = mail.outbox[0]
        self.assertIn("MODIF", message.subject)
        self.assertIn("Report de la date limite", message.body)
        self.assertIn("RC.pdf (version 2", message.body)
        self.assertIn("CCTP.pdf", message.body)
        self.assertIn("/consultations/alertes/", message.body)
        self.assertEqual(len(message.alternatives), 1)
        self.consultation.refresh_from_db()
        self.assertEqual(self.consultation.version, 2)
        version = self.consultation.notice_versions.get(number=2)
        self.assertEqual(version.notified_count, 2)
        self.assertEqual([f["name"] for f in version.snapshot["dce"]], ["RC.pdf"])
        self.assertEqual(self.consultation.bid_deadline, new_deadline.replace(second=0, microsecond=0))
        self.assertTrue(JournalEntry.objects.filter(action="marches.modify").exists())
        current = self.consultation.dce_files.filter(replaced_at__isnull=True)
        self.assertEqual([(f.name, f.version) for f in current], [("RC.pdf", 2)])

    def test_a_modification_needs_a_summary_and_a_change(self):
        with self.assertRaises(InvalidData):
            modify_consultation(
                consultation=self.consultation, actor=self.alice, change=Modification(summary=" ")
            )
        with self.assertRaises(InvalidData):
            modify_consultation(
                consultation=self.consultation, actor=self.alice, change=Modification(summary="Rien")
            )
        self.assertEqual(self.consultation.notice_versions.count(), 0)
        self.assertEqual(len(mail.outbox), 0)

    def test_no_modification_after_the_deadline_or_on_a_draft(self):
        self.consultation.bid_deadline = timezone.now() - timedelta(minutes=1)
        self.consultation.save()
        change = Modification(summary="Trop tard", notice_text="Nouvel avis")
        with self.assertRaises(WorkflowError):
            modify_consultation(consultation=self.consultation, actor=self.alice, change=change)
        draft = make_consultation(self.authority_a, "BROUILLON")
        with self.assertRaises(WorkflowError):
            modify_consultation(consultation=draft, actor=self.alice, change=change)

    def test_a_new_deadline_in_the_past_is_refused(self):
        self.login(self.alice)
        past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = self.client.post(
            reverse("marches:modify", args=[self.consultation.pk]),
            {"summary": "Erreur", "bid_deadline": past},
        )
        self.assertContains(response, "déjà passée")
        self.consultation.refresh_from_db()
        self.assertEqual(self.consultation.version, 1)
