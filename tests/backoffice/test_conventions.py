"""Conventions and amendments: statuses with their history, files kept safely."""

from datetime import date, timedelta

from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from bouquet.backoffice.choices import ConventionKind, ConventionStatus
from bouquet.backoffice.errors import BackofficeError, UploadError
from bouquet.backoffice.gates import actes_convention_refusal
from bouquet.backoffice.models import Convention, ConventionFile
from bouquet.backoffice.services.attach_convention_file import attach_convention_file
from bouquet.backoffice.services.conventions import (
    change_convention_status,
    create_convention,
    update_convention,
)
from bouquet.backoffice.uploads import read_stored
from bouquet.core.models import JournalEntry
from tests.backoffice.helpers import SYSTEM, BackofficeTestCase, RawUpload, pdf_bytes, pdf_upload


@override_settings(BACKOFFICE_ACTES_CONVENTION_REQUIRED=True)
class ConventionLifecycleTestCase(BackofficeTestCase):
    def new(self, **kwargs) -> Convention:
        fields = {
            "authority": self.authority_a,
            "module": "ACTES",
            "subject": "Télétransmission",
            "actor": SYSTEM,
        }
        return create_convention(**fields | kwargs)

    def test_a_convention_goes_from_to_prepare_to_signed_and_opens_sending(self):
        convention = self.new()
        self.assertEqual(convention.status, ConventionStatus.TO_PREPARE)
        self.assertIsNotNone(actes_convention_refusal(self.authority_a))
        change_convention_status(convention=convention, status="sent", on=date(2026, 1, 5), actor=SYSTEM)
        convention = change_convention_status(
            convention=convention,
            status="signed",
            on=date(2026, 2, 1),
            reference="PREF-21-2026-12",
            actor=SYSTEM,
        )
        self.assertEqual((convention.sent_on, convention.signed_on), (date(2026, 1, 5), date(2026, 2, 1)))
        self.assertEqual(
            (convention.effective_from, convention.reference), (date(2026, 2, 1), "PREF-21-2026-12")
        )
        self.assertEqual(
            list(convention.events.values_list("from_status", "to_status")),
            [("", "to_prepare"), ("to_prepare", "sent"), ("sent", "signed")],
        )
        self.assertIsNone(actes_convention_refusal(self.authority_a, date(2026, 2, 1)))
        actions = JournalEntry.objects.filter(authority=self.authority_a).values_list("action", flat=True)
        self.assertEqual(
            list(actions), ["backoffice.convention.create"] + ["backoffice.convention.status"] * 2
        )

    def test_it_refuses_wrong_moves_and_dates(self):
        convention = self.new()
        tomorrow = timezone.localdate() + timedelta(days=1)
        with self.assertRaisesMessage(BackofficeError, "futur"):
            change_convention_status(convention=convention, status="signed", on=tomorrow, actor=SYSTEM)
        with self.assertRaisesMessage(BackofficeError, "fin de validité"):
            change_convention_status(
                convention=convention,
                status="signed",
                on=date(2026, 1, 1),
                effective_until=date(2025, 1, 1),
                actor=SYSTEM,
            )
        signed = change_convention_status(
            convention=convention, status="signed", on=date(2026, 1, 1), actor=SYSTEM
        )
        with self.assertRaisesMessage(BackofficeError, "Impossible de passer de « Signée » à « Envoyée"):
            change_convention_status(convention=signed, status="sent", on=date(2026, 1, 2), actor=SYSTEM)
        self.assertEqual(signed.events.count(), 2)

    def test_the_prefecture_may_return_a_sent_convention(self):
        convention = self.new()
        change_convention_status(convention=convention, status="sent", on=date(2026, 1, 5), actor=SYSTEM)
        back = change_convention_status(
            convention=convention,
            status="to_prepare",
            on=date(2026, 1, 20),
            message="Signature manquante",
            actor=SYSTEM,
        )
        self.assertEqual((back.status, back.sent_on), (ConventionStatus.TO_PREPARE, None))
        self.assertEqual(back.events.last().message, "Signature manquante")

    def test_an_amendment_needs_a_convention_of_the_same_member_and_flow(self):
        convention = self.new()
        other = create_convention(authority=self.authority_b, module="ACTES", subject="B", actor=SYSTEM)
        amendment = self.new(
            kind=ConventionKind.AMENDMENT, amends=convention, subject="Changement de dispositif"
        )
        self.assertEqual(amendment.amends, convention)
        for amends in (None, other):
            with (
                self.subTest(amends=amends),
                self.assertRaisesMessage(BackofficeError, "Choisissez la convention"),
            ):
                self.new(kind=ConventionKind.AMENDMENT, amends=amends, module="ACTES")
        with self.assertRaisesMessage(BackofficeError, "Choisissez la convention"):
            self.new(kind=ConventionKind.AMENDMENT, amends=convention, module="HELIOS")

    def test_only_one_document_of_a_kind_is_prepared_at_a_time(self):
        self.new()
        with self.assertRaisesMessage(BackofficeError, "déjà en préparation"):
            self.new()
        self.assertEqual(Convention.objects.count(), 1)

    def test_ending_a_signed_convention_closes_sending(self):
        convention = self.new()
        with self.assertRaisesMessage(BackofficeError, "Seule une convention signée"):
            update_convention(
                convention=convention,
                subject="x",
                reference="",
                notes="",
                effective_until=date(2026, 1, 1),
                actor=SYSTEM,
            )
        change_convention_status(convention=convention, status="signed", on=date(2025, 1, 1), actor=SYSTEM)
        update_convention(
            convention=convention,
            subject="x",
            reference="",
            notes="",
            effective_until=date(2025, 12, 31),
            actor=SYSTEM,
        )
        self.assertIsNotNone(actes_convention_refusal(self.authority_a, date(2026, 1, 1)))
        entry = JournalEntry.objects.get(action="backoffice.convention.update")
        self.assertEqual(entry.details["after"]["effective_until"], "2025-12-31")


class ConventionFileTestCase(BackofficeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.convention = create_convention(
            authority=cls.authority_a, module="ACTES", subject="x", actor=SYSTEM
        )

    def attach(self, upload):
        return attach_convention_file(
            convention=self.convention, uploaded=upload, kind="signed", actor=SYSTEM
        )

    def test_it_stores_a_pdf_under_our_own_name(self):
        data = pdf_bytes()
        row = self.attach(pdf_upload("Convention signée 2026.pdf", data))
        self.assertEqual(row.original_name, "Convention signée 2026.pdf")
        self.assertRegex(row.path, rf"^backoffice/conventions/{self.authority_a.pk}/[0-9a-f]{{32}}\.pdf$")
        self.assertEqual(read_stored(row.path, row.sha256), data)
        self.assertTrue(
            JournalEntry.objects.filter(action="backoffice.convention.file", object_id=str(row.pk)).exists()
        )

    def stored(self) -> set[str]:
        folder = f"backoffice/conventions/{self.authority_a.pk}"
        return set(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else set()

    def test_it_refuses_bad_files_and_stores_nothing(self):
        before = self.stored()
        cases = {
            "n'est pas un PDF": pdf_upload("convention.pdf", b"MZ\x90\x00 not a pdf at all"),
            "illisible ou endommagé": pdf_upload("convention.pdf", b"%PDF-1.7\n garbage without any object"),
            "ne doit pas contenir de chemin": RawUpload("../../etc/passwd.pdf", pdf_bytes()),
            "chemin": RawUpload("..\\..\\windows\\system.pdf", pdf_bytes()),
            "n'a pas de nom": RawUpload("\x00\x01", pdf_bytes()),
        }
        for message, upload in cases.items():
            with self.subTest(message), self.assertRaisesMessage(UploadError, message):
                self.attach(upload)
        self.assertEqual(ConventionFile.objects.count(), 0)
        self.assertEqual(self.stored(), before)

    @override_settings(BACKOFFICE_UPLOAD_MAX_BYTES=1000)
    def test_it_refuses_an_oversize_file(self):
        with self.assertRaisesMessage(UploadError, "dépasse la taille maximale de 1000 octets"):
            self.attach(pdf_upload("grosse.pdf", pdf_bytes("x" * 100) + b"%" * 2000))
        self.assertEqual(ConventionFile.objects.count(), 0)

    def test_a_long_name_is_shortened_and_keeps_pdf(self):
        row = self.attach(pdf_upload("a" * 300 + ".PDF"))
        self.assertEqual(len(row.original_name), 150)
        self.assertTrue(row.original_name.endswith(".pdf"))
