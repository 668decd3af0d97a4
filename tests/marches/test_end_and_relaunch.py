"""Closing at the deadline, cancelling, declaring unsuccessful, and relaunching in one click."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bouquet.core.audit import Actor
from bouquet.core.models import JournalEntry
from bouquet.marches.choices import Status
from bouquet.marches.errors import InvalidData, WorkflowError
from bouquet.marches.models import Consultation, Downloader
from bouquet.marches.services.close_due import close_due_consultations
from bouquet.marches.services.end_consultation import cancel_consultation, declare_unsuccessful
from bouquet.marches.services.relaunch_consultation import relaunch_consultation
from bouquet.marches.workflow import Event, change_status
from tests.marches.helpers import MarchesTestCase, make_consultation


class EndTestCase(MarchesTestCase):
    def past_deadline(self, reference="FIN", **fields):
        return make_consultation(
            self.authority_a, reference, status=Status.PUBLISHED, lots=2, files=["RC.pdf", "CCAP.pdf"],
            bid_deadline=timezone.now() - timedelta(hours=1), question_deadline=None, **fields,
        )  # fmt: skip

    def test_consultations_close_once_their_deadline_passed(self):
        due = self.past_deadline()
        running = make_consultation(self.authority_a, "EN-COURS", status=Status.PUBLISHED)
        self.assertEqual(close_due_consultations(), 1)
        self.assertEqual(close_due_consultations(), 0)
        due.refresh_from_db()
        running.refresh_from_db()
        self.assertEqual((due.status, running.status), (Status.CLOSED, Status.PUBLISHED))
        self.assertEqual(due.events.get(kind="closed").actor_label, "clôture automatique")

    def test_unsuccessful_only_after_the_deadline_and_with_a_reason(self):
        running = make_consultation(self.authority_a, "EN-COURS", status=Status.PUBLISHED)
        with self.assertRaises(WorkflowError):
            declare_unsuccessful(consultation=running, actor=self.alice, reason="Aucune offre")
        due = self.past_deadline()
        with self.assertRaises(InvalidData):
            declare_unsuccessful(consultation=due, actor=self.alice, reason=" ")
        Downloader.objects.create(consultation=due, email="suivi@example.test")
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("marches:unsuccessful", args=[due.pk]), {"reason": "Aucune offre reçue."}
            )
        due.refresh_from_db()
        self.assertEqual((due.status, due.status_reason), (Status.UNSUCCESSFUL, "Aucune offre reçue."))
        self.assertEqual([m.to for m in mail.outbox], [["suivi@example.test"]])

    def test_cancel_is_journaled_and_final(self):
        consultation = make_consultation(self.authority_a, "ANNULEE", status=Status.PUBLISHED)
        cancel_consultation(consultation=consultation, actor=self.alice, reason="Besoin abandonné")
        consultation.refresh_from_db()
        self.assertEqual(consultation.status, Status.CANCELLED)
        self.assertTrue(
            JournalEntry.objects.filter(action="marches.cancel", object_id=str(consultation.pk)).exists()
        )
        with self.assertRaises(WorkflowError):
            cancel_consultation(consultation=consultation, actor=self.alice, reason="Encore")

    def test_an_awarded_consultation_cannot_be_cancelled(self):
        consultation = self.past_deadline()
        system = Actor.system("test")
        for event in (Event.CLOSE, Event.OPEN, Event.AWARD):
            change_status(consultation, event, actor=system, message=event.value)
        with self.assertRaises(WorkflowError):
            cancel_consultation(consultation=consultation, actor=self.alice, reason="Trop tard")

    def test_a_stale_status_change_is_refused(self):
        consultation = make_consultation(self.authority_a, "COURSE", status=Status.PUBLISHED)
        stale = Consultation.objects.get(pk=consultation.pk)
        cancel_consultation(consultation=consultation, actor=self.alice, reason="Premier")
        with self.assertRaises(WorkflowError):
            cancel_consultation(consultation=stale, actor=self.alice, reason="Second")

    def test_relaunch_copies_lots_and_documents_in_one_click(self):
        old = self.past_deadline(estimated_amount=90_000)
        declare_unsuccessful(consultation=old, actor=self.alice, reason="Offres inacceptables")
        self.login(self.alice)
        response = self.client.post(reverse("marches:relaunch", args=[old.pk]))
        new = Consultation.objects.get(relaunched_from=old)
        self.assertRedirects(response, reverse("marches:detail", args=[new.pk]))
        self.assertEqual(
            (new.status, new.reference, new.authority), (Status.DRAFT, "FIN-R1", self.authority_a)
        )
        self.assertEqual(
            (new.object, new.estimated_amount, new.bid_deadline), (old.object, old.estimated_amount, None)
        )
        self.assertEqual(
            list(new.lots.values_list("number", "object")), list(old.lots.values_list("number", "object"))
        )
        old_files = {(f.name, f.sha256) for f in old.dce_files.all()}
        self.assertEqual({(f.name, f.sha256) for f in new.dce_files.all()}, old_files)
        self.assertEqual(new.dce_files.get(name="RC.pdf").read(), old.dce_files.get(name="RC.pdf").read())
        self.assertEqual(old.events.get(kind="relaunched").data["new"], new.pk)
        # A second click does not create a second consultation.
        self.client.post(reverse("marches:relaunch", args=[old.pk]))
        self.assertEqual(Consultation.objects.filter(relaunched_from=old).count(), 1)

    def test_only_an_unsuccessful_consultation_is_relaunched(self):
        consultation = self.past_deadline()
        with self.assertRaises(WorkflowError):
            relaunch_consultation(consultation=consultation, actor=self.alice)


class StaysHereTestCase(MarchesTestCase):
    def test_a_published_consultation_never_changes_buyer(self):
        consultation = make_consultation(self.authority_a, "ICI", status=Status.PUBLISHED)
        consultation.authority = self.authority_b
        with self.assertRaises(WorkflowError):
            consultation.save()
        self.assertEqual(Consultation.objects.get(pk=consultation.pk).authority, self.authority_a)

    def test_the_periodic_task_closes_due_consultations(self):
        from bouquet.marches.tasks import close_due

        make_consultation(
            self.authority_a,
            "DUE",
            status=Status.PUBLISHED,
            bid_deadline=timezone.now() - timedelta(seconds=1),
        )
        self.assertEqual(close_due.call(), 1)
