"""The kit's PDFs, filled from our data (checked by extracting their text), and staff-edited texts."""

from datetime import date

from bouquet.backoffice.choices import DocumentKind
from bouquet.backoffice.documents.kit import build_kit, kit_email
from bouquet.backoffice.documents.pdf import parse_blocks, render_pdf
from bouquet.backoffice.documents.placeholders import substitute
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.models import DocumentTemplate, OperatorSettings
from bouquet.backoffice.services.document_templates import reset_document_template, save_document_template
from bouquet.core.models import Authority, JournalEntry, Operator
from tests.backoffice.helpers import SYSTEM, BackofficeTestCase, pdf_text, signed_convention

TODAY = date(2026, 3, 2)
HOMOLOGATION = "convention d'homologation entre le ministère de l'Intérieur et l'ADULLACT"


class KitDocumentsTestCase(BackofficeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Operator.objects.filter(pk=cls.operator.pk).update(
            name="Ingénierie Côte-d'Or",
            legal_nature="Établissement public administratif",
            address="53 bis rue de la Préfecture\n21000 Dijon",
            phone="03 80 63 27 00",
            email="mission.conseil@cotedor.fr",
        )
        cls.operator.refresh_from_db()
        OperatorSettings.objects.create(
            operator=cls.operator,
            transmission_device="S²LOW",
            homologation_reference=HOMOLOGATION,
            homologation_date=date(2007, 1, 22),
            transmission_operator="Libriciel SCOP",
            transmission_contract_date=date(2023, 8, 31),
            prefecture_name="Préfecture de la Côte-d'Or",
            prefecture_address="21041 Dijon Cedex",
        )
        cls.convention = signed_convention(cls.authority_a, start=date(2015, 2, 16))
        cls.convention.reference = "PREF21-2015-044"
        cls.convention.save()

    def documents(self, authority=None) -> dict[str, str]:
        authority = Authority.objects.select_related("operator").get(pk=(authority or self.authority_a).pk)
        return {d.kind: (d.filename, pdf_text(d.content)) for d in build_kit(authority, today=TODAY)}

    def test_the_amendment_request_letter_is_filled_from_our_data(self):
        filename, text = self.documents()[DocumentKind.AMENDMENT_REQUEST]
        self.assertEqual(filename, "210100012-demande-avenant.pdf")
        for expected in (
            "Demande d'avenant à la convention de télétransmission",
            "Commune A",
            "SIREN 210100012",
            "Préfecture de la Côte-d'Or",
            "Le 2 mars 2026",
            "signée le 16 février 2015 (référence PREF21-2015-044)",
            "S²LOW",
            "du 22 janvier 2007",
            "Libriciel SCOP, selon le contrat du 31 août 2023",
            "Ingénierie Côte-d'Or (Établissement public administratif)",
        ):
            self.assertIn(expected, text)

    def test_the_form_answers_name_device_operators_and_mutualisation_article(self):
        _, text = self.documents()[DocumentKind.FORM_ANSWERS]
        for expected in (
            "Nom du dispositif S²LOW",
            f"Référence de l'homologation {HOMOLOGATION}",
            "Date de l'homologation 22 janvier 2007",
            "Opérateur de transmission Libriciel SCOP",
            "Date du contrat 31 août 2023",
            "Opérateur de mutualisation",
            "Nom Ingénierie Côte-d'Or",
            "Nature juridique Établissement public administratif",
            "Adresse postale 53 bis rue de la Préfecture 21000 Dijon",
            "Téléphone 03 80 63 27 00",
            "Courriel mission.conseil@cotedor.fr",
        ):
            self.assertIn(expected, text)

    def test_the_procedure_fits_on_one_page(self):
        kit = {d.kind: d for d in build_kit(self.authority_a, today=TODAY)}
        import io

        from pypdf import PdfReader

        self.assertEqual(len(PdfReader(io.BytesIO(kit[DocumentKind.PROCEDURE].content)).pages), 1)
        self.assertIn("Étape 4", pdf_text(kit[DocumentKind.PROCEDURE].content))

    def test_a_member_without_convention_gets_a_blank_to_fill(self):
        _, text = self.documents(self.authority_b)[DocumentKind.AMENDMENT_REQUEST]
        self.assertIn("signée le (date à compléter) (référence à compléter)", text)

    def test_the_settings_default_to_the_environment(self):
        OperatorSettings.objects.all().delete()
        _, text = self.documents()[DocumentKind.FORM_ANSWERS]
        self.assertIn("Nom du dispositif S²LOW", text)
        self.assertIn("Date du contrat 31 août 2023", text)

    def test_staff_texts_replace_the_defaults(self):
        save_document_template(
            operator=self.operator,
            kind=DocumentKind.PROCEDURE,
            title="Marche à suivre pour {collectivite_nom}",
            body="# Contact\n\nAppelez {operateur_telephone}.\n\n- Étape unique : signer.",
            actor=SYSTEM,
        )
        _, text = self.documents()[DocumentKind.PROCEDURE]
        self.assertIn("Marche à suivre pour Commune A", text)
        self.assertIn("Appelez 03 80 63 27 00.", text)
        self.assertNotIn("Étape 4", text)
        reset_document_template(operator=self.operator, kind=DocumentKind.PROCEDURE, actor=SYSTEM)
        self.assertIn("Étape 4", self.documents()[DocumentKind.PROCEDURE][1])
        actions = list(JournalEntry.objects.values_list("action", flat=True))
        self.assertEqual(actions, ["backoffice.template.save", "backoffice.template.reset"])

    def test_the_email_is_editable_too(self):
        subject, body = kit_email(self.authority_a, today=TODAY)
        self.assertEqual(subject, "Kit de convention ACTES : Commune A")
        self.assertIn("03 80 63 27 00", body)


class TemplateSafetyTestCase(BackofficeTestCase):
    def test_unknown_placeholders_are_refused(self):
        with self.assertRaisesMessage(BackofficeError, "Ces champs n'existent pas : {user}, {secret_key}"):
            save_document_template(
                operator=self.operator,
                kind="procedure",
                title="{user}",
                body="{secret_key} {collectivite_nom}",
                actor=SYSTEM,
            )
        self.assertFalse(DocumentTemplate.objects.exists())

    def test_substitution_is_a_plain_lookup(self):
        values = {"collectivite_nom": "Commune A"}
        self.assertEqual(
            substitute("{collectivite_nom.__class__} {collectivite_nom}", values),
            "{collectivite_nom.__class__} Commune A",
        )
        self.assertEqual(
            substitute("{{ request.user }} {% debug %}", values), "{{ request.user }} {% debug %}"
        )

    def test_django_template_syntax_is_printed_not_run(self):
        save_document_template(
            operator=self.operator,
            kind="procedure",
            title="Titre",
            body="{% load static %}{{ settings.SECRET_KEY }} <b>gras</b> &amp; {collectivite_nom}",
            actor=SYSTEM,
        )
        text = pdf_text(build_kit(self.authority_a, kinds=("procedure",))[0].content)
        self.assertIn("{% load static %}{{ settings.SECRET_KEY }} <b>gras</b> &amp; Commune A", text)

    def test_values_cannot_add_structure_to_the_document(self):
        blocks = parse_blocks("Nom :: {collectivite_nom}\n\n{collectivite_nom}")
        self.assertEqual([b.kind for b in blocks], ["table", "paragraph"])
        values = {"collectivite_nom": "X\n\n# Faux titre\n- fausse puce :: <font size=40>"}
        text = " ".join(
            pdf_text(render_pdf(title="T", body="Nom :: {collectivite_nom}", values=values)).split()
        )
        self.assertIn("# Faux titre - fausse puce :: <font size=40>", text)

    def test_it_refuses_empty_or_oversize_texts(self):
        for title, body, message in (("", "x", "obligatoires"), ("T", "x" * 20_001, "trop long")):
            with self.subTest(message), self.assertRaisesMessage(BackofficeError, message):
                save_document_template(
                    operator=self.operator, kind="procedure", title=title, body=body, actor=SYSTEM
                )
