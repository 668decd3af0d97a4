"""The register of backup copies: received, opened only for a stated reason after the deadline and
if on time, or destroyed; each change in the history."""

from django.urls import reverse

from bouquet.core.audit import Actor
from bouquet.marches.bids.choices import BackupOpenReason, BackupState
from bouquet.marches.bids.errors import BidsError, RightsError
from bouquet.marches.bids.services.backups import destroy_backup_copy, open_backup_copy, register_backup_copy
from bouquet.marches.models import ConsultationEvent
from tests.marches_bids.helpers import BidsTestCase, at


class BackupCopyTestCase(BidsTestCase):
    def _register(self, received_at, actor=None):
        with at(self.after(60)):
            return register_backup_copy(
                consultation=self.consultation,
                actor=actor or Actor.of_user(self.alice),
                company_name="Routes et Cie",
                medium="clé USB",
                received_at=received_at,
            )

    def test_a_copy_on_time_is_opened_for_a_stated_reason_after_the_deadline(self):
        copy = self._register(self.before(86400))
        self.assertTrue(copy.arrived_on_time)
        with at(self.before(10)), self.assertRaisesMessage(BidsError, "après la date limite"):
            open_backup_copy(copy=copy, actor=Actor.of_user(self.alice), reason=BackupOpenReason.MALWARE)
        with at(self.after()):
            with self.assertRaisesMessage(BidsError, "motif"):
                open_backup_copy(copy=copy, actor=Actor.of_user(self.alice), reason="curiosité")
            opened = open_backup_copy(
                copy=copy,
                actor=Actor.of_user(self.alice),
                reason=BackupOpenReason.UNREADABLE,
                details="Le fichier offre.pdf est corrompu.",
            )
        self.assertEqual(opened.state, BackupState.OPENED)
        self.assertEqual(opened.open_details, "Le fichier offre.pdf est corrompu.")
        with at(self.after(100)):
            destroyed = destroy_backup_copy(copy=opened, actor=Actor.of_user(self.alice))
        self.assertEqual(destroyed.state, BackupState.DESTROYED)
        kinds = list(
            ConsultationEvent.objects.filter(consultation=self.consultation).values_list("kind", flat=True)
        )
        self.assertEqual(
            [k for k in kinds if k.startswith("bids.backup")],
            ["bids.backup_received", "bids.backup_opened", "bids.backup_destroyed"],
        )

    def test_a_late_copy_is_never_opened(self):
        copy = self._register(self.after(30))
        with (
            at(self.after(60)),
            self.assertRaisesMessage(BidsError, "après la date limite : elle ne peut pas"),
        ):
            open_backup_copy(copy=copy, actor=Actor.of_user(self.alice), reason=BackupOpenReason.NOT_RECEIVED)
        copy.refresh_from_db()
        self.assertEqual(copy.state, BackupState.UNOPENED)

    def test_only_agents_with_the_write_right_keep_the_register(self):
        with self.assertRaises(RightsError):
            self._register(self.before(), actor=Actor.of_user(self.bob))
        with at(self.after()), self.assertRaisesMessage(BidsError, "futur"):
            register_backup_copy(
                consultation=self.consultation,
                actor=Actor.of_user(self.alice),
                company_name="X",
                medium="papier",
                received_at=self.after(7200),
            )

    def test_the_page_registers_and_lists_copies(self):
        self.login(self.alice)
        url = reverse("marches_bids:backups", args=[self.consultation.pk])
        with at(self.after(3600)):
            page = self.client.post(
                url,
                {"company_name": "Bâtiments SA", "medium": "papier", "received_at": "2026-01-02T10:00"},
                follow=True,
            )
        self.assertContains(page, "Copie de sauvegarde enregistrée.")
        self.assertContains(page, "Bâtiments SA")
        page = self.client.post(
            url, {"company_name": "", "medium": "", "received_at": "pas une date"}, follow=True
        )
        self.assertContains(page, "Indiquez la date")
        self.login(self.bob)
        self.assertEqual(self.client.post(url, {"company_name": "X"}).status_code, 403)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_copies_of_another_tenant_are_out_of_reach(self):
        copy = self._register(self.before())
        self.login(self.charlie)
        response = self.client.post(
            reverse("marches_bids:backup_action", args=[copy.pk]), {"action": "destroy"}
        )
        self.assertEqual(response.status_code, 404)
