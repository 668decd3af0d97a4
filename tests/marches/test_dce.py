"""DCE documents on a draft: accepted formats sniffed, bad files refused, names cleaned, versions."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from bouquet.marches.choices import Status
from bouquet.marches.errors import FileRejected, WorkflowError
from bouquet.marches.services.manage_dce import add_dce_file
from bouquet.marches.storage import clean_name
from tests.marches.helpers import PDF, MarchesTestCase, make_consultation, pdf_upload


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


class DceTestCase(MarchesTestCase):
    def setUp(self):
        self.consultation = make_consultation(self.authority_a)

    def add(self, name, content, **kwargs):
        upload = SimpleUploadedFile(name, content)
        return add_dce_file(consultation=self.consultation, actor=self.alice, upload=upload, **kwargs)

    def test_it_stores_a_pdf_with_size_format_and_hash(self):
        dce_file = self.add("Règlement.pdf", PDF)
        self.assertEqual(
            (dce_file.name, dce_file.size, dce_file.format_label), ("Règlement.pdf", len(PDF), "PDF")
        )
        self.assertTrue(dce_file.path.startswith("marches/dce/"))
        self.assertNotIn("Règlement", dce_file.path)
        self.assertEqual(dce_file.read(), PDF)
        self.assertEqual(self.add("CCTP.docx", docx()).format_label, "Word")

    def test_it_refuses_programs_lies_and_unknown_formats(self):
        cases = [
            ("setup.exe", b"MZ\x90\x00rest", "programme"),
            ("facture.pdf", b"MZ\x90\x00rest", "programme"),
            ("faux.pdf", b"<html>pas un pdf</html>", "ne correspond pas"),
            ("faux.docx", PDF, "ne correspond pas"),
            ("casse.docx", b"PK\x03\x04" + b"\x00" * 40, "endommagé"),
            ("script.js", b"alert(1)", "n'est pas accepté"),
            ("vide.pdf", b"", "vide"),
            ("binaire.txt", b"\x00\x01\x02\xff\xfe", "ne correspond pas"),
        ]
        for name, content, expected in cases:
            with self.subTest(name=name), self.assertRaises(FileRejected) as caught:
                self.add(name, content)
            self.assertIn(expected, caught.exception.message)
        self.assertFalse(self.consultation.dce_files.exists())

    def test_path_traversal_and_odd_names_are_cleaned(self):
        self.assertEqual(clean_name("../../etc/RC.pdf"), "RC.pdf")
        self.assertEqual(clean_name("..\\..\\windows\\CCAP.pdf"), "CCAP.pdf")
        self.assertEqual(clean_name('a<b>c:"d|e?.pdf'), "a_b_c__d_e_.pdf")
        self.assertEqual(clean_name("nul\x00\x1fbyte.pdf"), "nulbyte.pdf")
        self.assertTrue(clean_name("x" * 300 + ".pdf").endswith(".pdf"))
        self.assertLessEqual(len(clean_name("x" * 300 + ".pdf")), 180)
        for bad in ("..", "../", "   ", "/"):
            with self.subTest(name=bad), self.assertRaises(FileRejected):
                clean_name(bad)
        dce_file = self.add("../../../settings.pdf", PDF)
        self.assertEqual(dce_file.name, "settings.pdf")

    @override_settings(MARCHES_DCE_MAX_FILE_BYTES=1000)
    def test_an_oversized_file_is_refused(self):
        with self.assertRaises(FileRejected) as caught:
            self.add("gros.pdf", PDF + b"x" * 2000)
        self.assertIn("taille maximale", caught.exception.message)
        self.assertFalse(self.consultation.dce_files.exists())

    def test_a_same_name_upload_is_a_new_version(self):
        first = self.add("RC.pdf", PDF)
        second = self.add("RC.pdf", PDF + b"v2")
        first.refresh_from_db()
        self.assertEqual((first.version, second.version), (1, 2))
        self.assertFalse(first.is_current)
        self.assertTrue(second.is_current)

    def test_a_published_consultation_changes_its_dce_only_by_modification(self):
        self.consultation.status = Status.PUBLISHED
        self.consultation.save()
        with self.assertRaises(WorkflowError):
            self.add("RC.pdf", PDF)

    def test_the_upload_page_reports_refused_files(self):
        self.login(self.alice)
        url = reverse("marches:dce_upload", args=[self.consultation.pk])
        response = self.client.post(
            url, {"files": [pdf_upload("RC.pdf"), SimpleUploadedFile("virus.exe", b"MZ..")]}, follow=True
        )
        self.assertContains(response, "Ajouté au DCE : RC.pdf")
        self.assertContains(response, "est un programme")
        self.assertEqual(self.consultation.dce_files.count(), 1)
        dce_file = self.consultation.dce_files.get()
        download = self.client.get(reverse("marches:dce_file", args=[self.consultation.pk, dce_file.pk]))
        self.assertEqual(b"".join(download.streaming_content), PDF)
        self.client.post(reverse("marches:dce_delete", args=[self.consultation.pk, dce_file.pk]))
        self.assertFalse(self.consultation.dce_files.exists())
