"""The back-office pages: who may see and change what, and the main flows through the forms."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from bouquet.backoffice.choices import ConventionFileKind, ConventionStatus
from bouquet.backoffice.models import (
    AidRule,
    Convention,
    ConventionFile,
    DocumentTemplate,
    FeeCall,
    FeeRule,
    MembershipStatusChange,
    OperatorSettings,
)
from bouquet.backoffice.uploads import store_pdf
from bouquet.core.choices import OperatorRole
from bouquet.core.models import JournalEntry, Module, OperatorStaff
from bouquet.test import make_authority, make_operator, make_user
from tests.backoffice.helpers import (
    BackofficeTestCase,
    fee_rule,
    pdf_bytes,
    pdf_text,
    pdf_upload,
    signed_convention,
    status,
)


class BackofficeViewsTestCase(BackofficeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        status(cls.authority_a)
        cls.convention = signed_convention(cls.authority_a)
        cls.amendment = Convention.objects.create(
            authority=cls.authority_a,
            module="ACTES",
            kind="amendment",
            amends=cls.convention,
            subject="Avenant S²LOW",
        )
        cls.rule = fee_rule(cls.operator, "MARCHES", "50")
        cls.aid = AidRule.objects.create(
            operator=cls.operator, name="Dotation socle", amount=Decimal("1000"), valid_from=date(2025, 1, 1)
        )
        data = pdf_bytes()
        import hashlib

        from bouquet.backoffice.uploads import CheckedPdf

        checked = CheckedPdf("convention.pdf", data, hashlib.sha256(data).hexdigest())
        cls.file = ConventionFile.objects.create(
            convention=cls.convention,
            authority=cls.authority_a,
            kind=ConventionFileKind.SIGNED,
            original_name="convention.pdf",
            path=store_pdf(checked, cls.authority_a.pk),
            sha256=checked.sha256,
            size=len(data),
        )

    # Every page, read (GET) and changed (POST).

    def pages(self) -> list[str]:
        a, c = self.authority_a.pk, self.convention.pk
        return [
            reverse("backoffice:home"),
            reverse("backoffice:memberships"),
            reverse("backoffice:member", args=[a]),
            reverse("backoffice:convention_create", args=[a]),
            reverse("backoffice:kit_document", args=[a, "demande-avenant"]),
            reverse("backoffice:fee_grid"),
            reverse("backoffice:fee_rule_edit", args=[self.rule.pk]),
            reverse("backoffice:fee_calls"),
            reverse("backoffice:fee_calls_csv"),
            reverse("backoffice:fee_calls_xlsx"),
            reverse("backoffice:conventions"),
            reverse("backoffice:convention", args=[c]),
            reverse("backoffice:convention_file", args=[self.file.pk]),
            reverse("backoffice:kit"),
            reverse("backoffice:templates"),
            reverse("backoffice:template_edit", args=["form_answers"]),
            reverse("backoffice:settings"),
            reverse("backoffice:aids"),
            reverse("backoffice:aid", args=[self.aid.pk]),
            reverse("backoffice:aid_edit", args=[self.aid.pk]),
            reverse("backoffice:aid_csv", args=[self.aid.pk]),
            reverse("backoffice:aid_xlsx", args=[self.aid.pk]),
        ]

    def changes(self) -> list[str]:
        a, c = self.authority_a.pk, self.convention.pk
        return [
            reverse("backoffice:member_status", args=[a]),
            reverse("backoffice:convention_create", args=[a]),
            reverse("backoffice:fee_grid"),
            reverse("backoffice:fee_rule_edit", args=[self.rule.pk]),
            reverse("backoffice:fee_calls_issue"),
            reverse("backoffice:convention_status", args=[c]),
            reverse("backoffice:convention_edit", args=[c]),
            reverse("backoffice:convention_upload", args=[c]),
            reverse("backoffice:kit"),
            reverse("backoffice:template_edit", args=["form_answers"]),
            reverse("backoffice:template_reset", args=["form_answers"]),
            reverse("backoffice:settings"),
            reverse("backoffice:aids"),
            reverse("backoffice:aid_edit", args=[self.aid.pk]),
            reverse("backoffice:aid_payment", args=[self.aid.pk]),
        ]

    def test_anonymous_users_go_to_the_login_page(self):
        for url in self.pages():
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("web:login")))

    def test_members_get_403_everywhere(self):
        self.login(self.alice)
        for url in self.pages():
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 403)
        for url in self.changes():
            with self.subTest(url):
                self.assertEqual(self.client.post(url, {"status": "member"}).status_code, 403)

    def test_support_staff_read_everything_and_change_nothing(self):
        self.login(self.sam)
        for url in self.pages():
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 200)
        journal = JournalEntry.objects.exclude(action="operator.view").count()
        for url in self.changes():
            with self.subTest(url):
                response = self.client.post(url, {"status": "resigned", "effective_date": "2026-01-01"})
                self.assertEqual(response.status_code, 403)
        self.assertEqual(JournalEntry.objects.exclude(action="operator.view").count(), journal)
        self.assertEqual(MembershipStatusChange.objects.count(), 1)
        self.assertNotContains(
            self.client.get(reverse("backoffice:member", args=[self.authority_a.pk])), "Enregistrer le statut"
        )

    def test_opening_a_member_page_is_journaled(self):
        self.login(self.sam)
        self.client.get(reverse("backoffice:member", args=[self.authority_a.pk]))
        entry = JournalEntry.objects.filter(action="operator.view").last()
        self.assertEqual((entry.authority, entry.actor_user), (self.authority_a, self.sam))

    # The admin's flows.

    def test_an_admin_records_a_status_and_sees_the_history(self):
        self.login(self.olga)
        url = reverse("backoffice:member_status", args=[self.authority_a.pk])
        response = self.client.post(
            url,
            {"status": "resigned", "effective_date": "2026-01-01", "note": "Délibération 12"},
            follow=True,
        )
        self.assertContains(response, "Statut « Démissionnaire » enregistré au 01/01/2026.")
        self.assertContains(response, "Délibération 12")
        response = self.client.post(url, {"status": "member", "effective_date": "2026-02-01"}, follow=True)
        self.assertContains(
            response, "Impossible de passer du statut « Démissionnaire » au statut « Adhérent »."
        )
        response = self.client.post(url, {"status": "nonsense", "effective_date": "demain"}, follow=True)
        self.assertContains(response, "Sélectionnez un choix valide")
        self.assertEqual(MembershipStatusChange.objects.count(), 2)

    def test_the_membership_list_filters_by_status(self):
        self.login(self.olga)
        response = self.client.get(reverse("backoffice:memberships"), {"status": "member"})
        self.assertEqual([a.name for a in response.context["page"].object_list], ["Commune A"])
        response = self.client.get(reverse("backoffice:memberships"), {"status": "none"})
        self.assertEqual([a.name for a in response.context["page"].object_list], ["Commune B"])

    def test_an_admin_adds_next_years_grid_row(self):
        self.login(self.olga)
        data = {
            "module": Module.objects.get(code="MARCHES").pk,
            "kind": "31",
            "min_population": "0",
            "max_population": "1000",
            "amount": "55",
            "valid_from": "2027-01-01",
            "label": "Tarif 2027",
        }
        response = self.client.post(reverse("backoffice:fee_grid") + "?annee=2027", data, follow=True)
        self.assertContains(response, "Grille des cotisations enregistrée.")
        self.assertEqual(FeeRule.objects.count(), 2)
        self.assertEqual(len(response.context["applied"]), 2)
        response = self.client.post(reverse("backoffice:fee_grid"), data | {"max_population": "0"})
        self.assertContains(response, "Le plafond de population doit être supérieur au plancher.")
        self.assertEqual(FeeRule.objects.count(), 2)

    def test_fee_calls_are_issued_and_exported(self):
        self.login(self.olga)
        year = date.today().year
        self.client.post(reverse("backoffice:fee_calls_issue") + f"?annee={year}")
        call = FeeCall.objects.get()
        self.assertEqual(
            (call.authority, call.amount, call.number), (self.authority_a, Decimal("50.00"), f"{year}-0001")
        )
        response = self.client.get(reverse("backoffice:fee_calls_xlsx"), {"annee": year})
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        self.assertEqual(rows[0][:3], ("Numéro d'appel", "Collectivité", "SIREN"))
        self.assertIn("Cotisation MARCHES", rows[0])
        self.assertEqual(rows[1][:3], (f"{year}-0001", "Commune A", "210100012"))
        self.assertEqual(rows[1][rows[0].index("Montant appelé")], 50)
        text = self.client.get(reverse("backoffice:fee_calls_csv"), {"annee": year}).content.decode(
            "utf-8-sig"
        )
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(rows[1][rows[0].index("Total calculé")], "50,00")
        self.assertEqual(len(rows), 2)

    def test_an_admin_creates_an_amendment_and_signs_it(self):
        self.amendment.delete()
        self.login(self.olga)
        data = {
            "module": "ACTES",
            "kind": "amendment",
            "amends": self.convention.pk,
            "subject": "Changement de dispositif",
        }
        response = self.client.post(
            reverse("backoffice:convention_create", args=[self.authority_a.pk]), data, follow=True
        )
        self.assertContains(response, "Avenant ACTES créée : à préparer.")
        amendment = Convention.objects.get(kind="amendment")
        url = reverse("backoffice:convention_status", args=[amendment.pk])
        response = self.client.post(
            url, {"status": "signed", "on": "2026-02-03", "reference": "AV-1"}, follow=True
        )
        self.assertContains(response, "État enregistré : signée.")
        amendment.refresh_from_db()
        self.assertEqual(
            (amendment.status, amendment.signed_on, amendment.reference),
            (ConventionStatus.SIGNED, date(2026, 2, 3), "AV-1"),
        )

    def test_an_amendment_cannot_amend_another_members_convention(self):
        other = signed_convention(self.authority_b)
        self.login(self.olga)
        data = {"module": "ACTES", "kind": "amendment", "amends": other.pk, "subject": "x"}
        response = self.client.post(reverse("backoffice:convention_create", args=[self.authority_a.pk]), data)
        self.assertContains(response, "Sélectionnez un choix valide")
        self.assertFalse(Convention.objects.filter(amends=other).exists())

    def test_uploads_are_checked_and_names_lose_their_path(self):
        self.login(self.olga)
        url = reverse("backoffice:convention_upload", args=[self.convention.pk])
        response = self.client.post(
            url, {"kind": "signed", "file": pdf_upload("../../../etc/avenant.pdf")}, follow=True
        )
        self.assertContains(response, "Fichier « avenant.pdf » ajouté.")
        row = ConventionFile.objects.latest("id")
        self.assertTrue(row.path.startswith(f"backoffice/conventions/{self.authority_a.pk}/"))
        response = self.client.post(
            url, {"kind": "signed", "file": pdf_upload("photo.pdf", b"\x89PNG\r\n\x1a\n")}, follow=True
        )
        self.assertContains(response, "Ce fichier n&#x27;est pas un PDF.")
        with self.settings(BACKOFFICE_UPLOAD_MAX_BYTES=100):
            response = self.client.post(url, {"kind": "signed", "file": pdf_upload("gros.pdf")}, follow=True)
        self.assertContains(response, "Le fichier dépasse la taille maximale de 100 octets.")
        self.assertEqual(ConventionFile.objects.count(), 2)
        download = self.client.get(reverse("backoffice:convention_file", args=[row.pk]))
        self.assertEqual(download["Content-Disposition"], 'attachment; filename="avenant.pdf"')
        self.assertIn("Convention signée", pdf_text(download.content))

    def test_an_admin_edits_a_template_and_the_settings(self):
        self.login(self.olga)
        url = reverse("backoffice:template_edit", args=["procedure"])
        response = self.client.post(url, {"title": "Procédure", "body": "Bonjour {maire}"})
        self.assertContains(response, "Ces champs n&#x27;existent pas : {maire}.")
        self.client.post(url, {"title": "Procédure", "body": "Appelez le {operateur_telephone}"})
        self.assertEqual(DocumentTemplate.objects.get().body, "Appelez le {operateur_telephone}")
        settings_data = {
            "transmission_device": "S²LOW",
            "homologation_reference": "convention d'homologation ADULLACT",
            "homologation_date": "2007-01-22",
            "transmission_operator": "Libriciel SCOP",
            "transmission_contract_date": "2023-08-31",
            "prefecture_name": "Préfecture de l'Yonne",
            "prefecture_address": "Auxerre",
        }
        self.client.post(reverse("backoffice:settings"), settings_data)
        self.assertEqual(OperatorSettings.objects.get().prefecture_name, "Préfecture de l'Yonne")
        entry = JournalEntry.objects.get(action="backoffice.settings.update")
        self.assertEqual(entry.details["after"]["prefecture_name"], "Préfecture de l'Yonne")
        pdf = self.client.get(
            reverse("backoffice:kit_document", args=[self.authority_a.pk, "demande-avenant"])
        )
        self.assertIn("Préfecture de l'Yonne", pdf_text(pdf.content))

    def test_the_home_page_summarises_the_back_office(self):
        AidRule.objects.filter(pk=self.aid.pk).update(valid_from=date(2020, 1, 1))
        self.login(self.sam)
        response = self.client.get(reverse("backoffice:home"))
        self.assertEqual(response.context["fee_total"], Decimal("50.00"))
        self.assertEqual(response.context["to_prepare_count"], 1)
        [(aid, unpaid)] = response.context["aids"]
        self.assertEqual([row.authority for row in unpaid], [self.authority_a])
        self.assertContains(response, "Avenant ACTES")
        self.assertContains(response, "Dotation socle")


class OtherOperatorTestCase(BackofficeTestCase):
    """Staff of one operator never reach another operator's members or settings."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = make_operator()
        cls.foreign = make_authority(cls.other, "Commune étrangère", "210500016")
        cls.foreign_convention = signed_convention(cls.foreign)
        cls.foreign_rule = fee_rule(cls.other, "MARCHES", "75")
        cls.foreign_aid = AidRule.objects.create(
            operator=cls.other, name="Aide Y", amount=Decimal("10"), valid_from=date(2025, 1, 1)
        )
        cls.foreign_file = ConventionFile.objects.create(
            convention=cls.foreign_convention,
            authority=cls.foreign,
            kind="signed",
            original_name="x.pdf",
            path="backoffice/conventions/none.pdf",
            sha256="0" * 64,
            size=1,
        )
        cls.yann = make_user("yann@autre.example.test")
        OperatorStaff.objects.create(user=cls.yann, operator=cls.other, role=OperatorRole.ADMIN)

    def test_ids_of_another_operator_are_not_found(self):
        self.login(self.olga)
        urls = [
            reverse("backoffice:member", args=[self.foreign.pk]),
            reverse("backoffice:kit_document", args=[self.foreign.pk, "procedure"]),
            reverse("backoffice:convention", args=[self.foreign_convention.pk]),
            reverse("backoffice:convention_file", args=[self.foreign_file.pk]),
            reverse("backoffice:fee_rule_edit", args=[self.foreign_rule.pk]),
            reverse("backoffice:aid", args=[self.foreign_aid.pk]),
            reverse("backoffice:aid_csv", args=[self.foreign_aid.pk]),
        ]
        for url in urls:
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)
        posts = [
            reverse("backoffice:member_status", args=[self.foreign.pk]),
            reverse("backoffice:convention_status", args=[self.foreign_convention.pk]),
            reverse("backoffice:fee_rule_edit", args=[self.foreign_rule.pk]),
            reverse("backoffice:aid_payment", args=[self.foreign_aid.pk]),
        ]
        for url in posts:
            with self.subTest(url):
                self.assertEqual(
                    self.client.post(url, {"status": "member", "effective_date": "2026-01-01"}).status_code,
                    404,
                )
        self.assertFalse(MembershipStatusChange.objects.filter(authority=self.foreign).exists())

    def test_lists_and_choices_only_hold_the_operators_members(self):
        self.login(self.olga)
        for url in (
            reverse("backoffice:memberships"),
            reverse("backoffice:kit"),
            reverse("backoffice:conventions"),
        ):
            with self.subTest(url):
                self.assertNotContains(self.client.get(url), "Commune étrangère")
        status(self.foreign)
        response = self.client.post(
            reverse("backoffice:aid_payment", args=[self.aid_of_olga().pk]),
            {"authority": self.foreign.pk, "amount": "1", "paid_on": "2026-01-01"},
            follow=True,
        )
        self.assertContains(response, "Collectivité inconnue.")
        self.login(self.yann)
        self.assertNotContains(self.client.get(reverse("backoffice:memberships")), "Commune A")

    def aid_of_olga(self) -> AidRule:
        return AidRule.objects.create(
            operator=self.operator, name="Aide X", amount=Decimal("10"), valid_from=date(2025, 1, 1)
        )
