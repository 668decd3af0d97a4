"""The buyer's contract pages: access rules, the essential data form, preview, publication."""

from datetime import date

from django.urls import reverse

from bouquet.marches.contracts.models import Contract
from bouquet.marches.contracts.services.publish_contract import publish_contract

from .base import ContractsTestCase, award, complete

FORM = {
    "decp_id": "2026-MAPA-01-L1",
    "nature": "Marché",
    "object": "Rénovation de l'école — lot 1 : couverture",
    "cpv": "45261210-9",
    "procedure": "Procédure adaptée",
    "techniques": ["Sans objet"],
    "execution_modes": ["Tranches"],
    "ccag": "Travaux",
    "offers_received": "4",
    "advance_granted": "on",
    "advance_rate": "5",
    "grouping_type": "Pas de groupement",
    "place_code": "21054",
    "place_code_type": "Code commune",
    "duration_months": "9",
    "notified_on": "2026-03-02",
    "amount_ht": "148750.40",
    "price_types": ["Définitif révisable"],
    "price_form": "Forfaitaire",
    "social_considerations": ["Clause sociale"],
    "environmental_considerations": ["Pas de considération environnementale"],
    "holders": "732 829 320 00074 ; Toitures de Bourgogne\n55204599900869 - Charpentes du Morvan",
}


class ContractPagesTestCase(ContractsTestCase):
    def setUp(self):
        self.contract = award(self.consultation, self.lot1)
        self.contract_b = award(self.consultation_b)

    def _url(self, name, contract=None):
        return reverse(f"marches_contracts:{name}", args=[(contract or self.contract).pk])

    def test_anonymous_visitors_go_to_the_login_page(self):
        response = self.client.get(self._url("detail"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("web:login"), response["Location"])

    def test_another_authority_gets_404_and_read_only_gets_403_on_writes(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self._url("detail")).status_code, 404)
        self.login(self.bob)
        self.assertEqual(self.client.get(self._url("detail")).status_code, 200)
        self.assertEqual(self.client.get(self._url("edit")).status_code, 403)
        self.assertEqual(self.client.post(self._url("publish")).status_code, 403)
        self.assertEqual(self.client.get(self._url("modification_new")).status_code, 403)

    def test_the_list_shows_what_remains_to_do(self):
        self.login(self.alice)
        response = self.client.get(reverse("marches_contracts:list"))
        self.assertContains(response, "2026-MAPA-01-L1")
        self.assertContains(response, "à compléter (5 champs)")
        self.assertNotContains(response, "B-2026-01")

    def test_the_form_saves_the_essential_data_with_rates_and_holders(self):
        self.login(self.alice)
        response = self.client.post(self._url("edit"), FORM)
        self.assertRedirects(response, self._url("preview"))
        self.contract.refresh_from_db()
        self.assertEqual(str(self.contract.advance_rate), "0.0500")
        self.assertEqual([h["id"] for h in self.contract.holders], ["73282932000074", "55204599900869"])
        self.assertEqual(self.contract.execution_modes, ["Tranches"])

    def test_the_form_explains_bad_values_in_french(self):
        self.login(self.alice)
        data = {
            **FORM,
            "cpv": "4526",
            "decp_id": "2026 L1",
            "holders": "123 ; Personne",
            "origin_eu": "10",
            "origin_france": "50",
        }
        response = self.client.post(self._url("edit"), data)
        self.assertEqual(response.status_code, 200)
        for message in (
            "Le code CPV s&#x27;écrit avec 8 chiffres",
            "caractères à éviter : espace",
            "Ligne 1 : « 123 » n&#x27;est pas un SIRET valide",
            "La part française ne peut pas dépasser la part européenne",
        ):
            self.assertContains(response, message)
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.price_form, "")

    def test_the_preview_lists_missing_data_then_shows_both_formats_and_publishes(self):
        self.login(self.alice)
        response = self.client.get(self._url("preview"))
        self.assertContains(response, "Données à compléter")
        self.assertContains(response, "forme du prix")
        self.client.post(self._url("edit"), FORM)
        response = self.client.get(self._url("preview"))
        self.assertContains(response, "Conforme aux schémas officiels")
        self.assertContains(response, "&quot;codeCPV&quot;: &quot;45261210-9&quot;")
        self.assertContains(response, "&lt;codeCPV&gt;45261210-9&lt;/codeCPV&gt;")
        response = self.client.post(self._url("publish"), follow=True)
        self.assertContains(response, "Les données essentielles sont publiées")
        self.contract.refresh_from_db()
        self.assertTrue(self.contract.is_published)

    def test_a_schema_error_is_shown_explained_and_nothing_is_published(self):
        complete(self.contract, self.alice, cpv="4526")
        self.login(self.alice)
        response = self.client.post(self._url("publish"))
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "À corriger avant publication", status_code=422)
        self.assertContains(response, "un code CPV de 8 chiffres", status_code=422)
        self.assertContains(response, "schéma XML officiel 2.0.2", status_code=422)
        self.assertFalse(Contract.objects.get(pk=self.contract.pk).is_published)

    def test_a_modification_is_added_from_its_form(self):
        publish_contract(contract=complete(self.contract, self.alice), actor=self.alice)
        self.login(self.alice)
        response = self.client.post(
            self._url("modification_new"),
            {
                "reason": "Travaux supplémentaires",
                "notified_on": date.today().isoformat(),
                "amount_ht": "160000",
            },
        )
        self.assertRedirects(response, self._url("detail"))
        response = self.client.get(self._url("detail"))
        self.assertContains(response, "Travaux supplémentaires")
        response = self.client.get(self._url("preview"))  # the published record, modification included
        self.assertContains(response, "Conforme aux schémas officiels")
        self.assertContains(response, "&lt;montant&gt;160000&lt;/montant&gt;")
        response = self.client.post(
            self._url("modification_new"), {"reason": "Rien", "notified_on": "2026-06-01"}
        )
        self.assertContains(response, "Une modification change au moins le montant")

    def test_the_end_of_execution_is_recorded(self):
        self.login(self.alice)
        self.client.post(self._url("execution_end"), {"execution_ended_on": "2026-12-15"})
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.execution_ended_on, date(2026, 12, 15))
        response = self.client.post(
            self._url("execution_end"), {"execution_ended_on": "2025-01-01"}, follow=True
        )
        self.assertContains(response, "ne peut pas précéder la notification")


class ConsultationSnippetTestCase(ContractsTestCase):
    def test_the_snippet_for_the_consultation_page_links_contracts_and_archive(self):
        from django.template.loader import render_to_string

        contract = award(self.consultation, self.lot1)
        html = render_to_string(
            "marches_contracts/_buyer_actions.html", {"consultation": self.consultation, "can_write": True}
        )
        self.assertIn(reverse("marches_contracts:detail", args=[contract.pk]), html)
        self.assertIn(reverse("marches_contracts:archive", args=[self.consultation.pk]), html)
        html = render_to_string(
            "marches_contracts/_buyer_actions.html", {"consultation": self.consultation, "can_write": False}
        )
        self.assertNotIn("archive.zip", html)
