"""The convention kit from the command line and by e-mail to the members' administrators."""

from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from bouquet.backoffice.services.convention_kit import send_convention_kit
from bouquet.core.choices import Role
from bouquet.core.models import JournalEntry, Membership
from bouquet.test import make_user
from tests.backoffice.helpers import SYSTEM, BackofficeTestCase, pdf_text


class KitCommandTestCase(BackofficeTestCase):
    def run_kit(self, *args) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("conventions", "kit", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_writes_the_pdfs_and_prints_their_paths(self):
        with TemporaryDirectory() as tmp:
            output = Path(tmp) / "kits" / "nouveau"
            out, _ = self.run_kit("--siren", self.authority_a.siren, "--output", str(output))
            paths = out.split()
            self.assertEqual(
                [Path(p).name for p in paths],
                [
                    "210100012-demande-avenant.pdf",
                    "210100012-formulaire-prefecture.pdf",
                    "210100012-procedure.pdf",
                ],
            )
            self.assertTrue(all(Path(p).parent == output for p in paths))
            self.assertIn("Commune A", pdf_text(Path(paths[0]).read_bytes()))
            self.assertIn("Nom du dispositif S²LOW", pdf_text(Path(paths[1]).read_bytes()))
        self.assertEqual(mail.outbox, [])
        self.assertTrue(
            JournalEntry.objects.filter(action="backoffice.kit.generate", authority=self.authority_a).exists()
        )

    def test_it_takes_several_members_and_can_send_them(self):
        with TemporaryDirectory() as tmp:
            out, err = self.run_kit(
                "--siren",
                self.authority_a.siren,
                "--siren",
                self.authority_b.siren,
                "--output",
                tmp,
                "--send",
            )
        self.assertEqual(len(out.split()), 6)
        self.assertIn(f"{self.authority_a.siren} : kit envoyé à alice@a.example.test", err)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["alice@a.example.test", "charlie@b.example.test"]
        )

    def test_it_refuses_an_unknown_siren_and_writes_nothing(self):
        with TemporaryDirectory() as tmp:
            with self.assertRaisesMessage(CommandError, "Aucune collectivité avec le SIREN « 999999999 »"):
                self.run_kit("--siren", self.authority_a.siren, "--siren", "999999999", "--output", tmp)
            self.assertEqual(list(Path(tmp).iterdir()), [])

    def test_it_refuses_a_file_as_output(self):
        with TemporaryDirectory() as tmp:
            target = Path(tmp) / "fichier"
            target.write_text("x")
            with self.assertRaisesMessage(CommandError, "n'est pas un dossier"):
                self.run_kit("--siren", self.authority_a.siren, "--output", str(target))


class KitMailTestCase(BackofficeTestCase):
    URL = reverse("backoffice:kit")

    def test_it_mails_the_pdfs_to_each_active_admin_separately(self):
        second = make_user("maire@a.example.test", self.authority_a, Role.ADMIN)
        gone = make_user("ancien@a.example.test", self.authority_a, Role.ADMIN)
        Membership.objects.filter(user=gone).update(is_active=False)
        [result] = send_convention_kit(authorities=[self.authority_a], actor=SYSTEM)
        self.assertEqual(result.recipients, ["alice@a.example.test", second.email])
        self.assertEqual([m.to for m in mail.outbox], [["alice@a.example.test"], ["maire@a.example.test"]])
        message = mail.outbox[0]
        self.assertEqual(message.subject, "Kit de convention ACTES : Commune A")
        names = [name for name, _content, _type in message.attachments]
        self.assertEqual(
            names,
            [
                "210100012-demande-avenant.pdf",
                "210100012-formulaire-prefecture.pdf",
                "210100012-procedure.pdf",
            ],
        )
        self.assertIn("Commune A", pdf_text(message.attachments[0][1]))
        self.assertEqual(message.alternatives[0].mimetype, "text/html")
        entry = JournalEntry.objects.get(action="backoffice.kit.send")
        self.assertEqual(entry.details["recipients"], ["alice@a.example.test", "maire@a.example.test"])

    def test_a_member_without_admin_is_reported(self):
        Membership.objects.filter(authority=self.authority_b, role=Role.ADMIN).update(role=Role.AGENT)
        [result] = send_convention_kit(authorities=[self.authority_b], actor=SYSTEM)
        self.assertIn("aucun administrateur", result.error)
        self.assertEqual(mail.outbox, [])

    def test_staff_page_sends_a_selection(self):
        self.login(self.olga)
        response = self.client.post(
            self.URL, {"authorities": [self.authority_a.pk, self.authority_b.pk]}, follow=True
        )
        self.assertContains(response, "Commune A : kit envoyé à alice@a.example.test.")
        self.assertEqual(len(mail.outbox), 2)

    def test_support_staff_may_preview_but_not_send(self):
        self.login(self.sam)
        page = self.client.get(self.URL)
        self.assertContains(page, "Commune A")
        self.assertNotContains(page, "Envoyer le kit")
        self.assertEqual(self.client.post(self.URL, {"authorities": [self.authority_a.pk]}).status_code, 403)
        self.assertEqual(mail.outbox, [])
        pdf = self.client.get(
            reverse("backoffice:kit_document", args=[self.authority_a.pk, "formulaire-prefecture"])
        )
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertIn("Nom du dispositif S²LOW", pdf_text(pdf.content))

    def test_an_unknown_document_or_member_is_not_found(self):
        self.login(self.olga)
        self.assertEqual(
            self.client.get(
                reverse("backoffice:kit_document", args=[self.authority_a.pk, "secret"])
            ).status_code,
            404,
        )
        self.assertEqual(
            self.client.get(reverse("backoffice:kit_document", args=[99999, "procedure"])).status_code, 404
        )
        response = self.client.post(self.URL, {"authorities": [99999]})
        self.assertContains(response, "Collectivité inconnue.")
        self.assertEqual(mail.outbox, [])
