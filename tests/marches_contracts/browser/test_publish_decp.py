"""Through Chromium: a buyer completes the essential data of an awarded lot, sees the verdict of
the official schemas, publishes them, and the record is in the operator's public JSON dataset."""

import json
import os
import urllib.request
from datetime import date

import pytest

from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.core.models import Subscription
from bouquet.marches.contracts.models import Contract
from bouquet.test import PASSWORD, make_authority, make_modules, make_operator, make_user
from tests.conftest import open_page
from tests.marches_contracts.base import BUYER_A, award, make_consultation

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "acheteur@alpha.example.test"


@pytest.fixture
def contract(transactional_db):
    operator = make_operator()
    authority = make_authority(operator, "Commune d'Alpha", "210100012")
    modules = make_modules()
    Subscription.objects.create(
        authority=authority, module=modules[ModuleCode.MARCHES], start_date=date(2024, 1, 1)
    )
    make_user(EMAIL, authority, Role.ADMIN, {ModuleCode.MARCHES: (Access.WRITE, False, False)})
    consultation = make_consultation(authority, "2026-VOIRIE", siret=BUYER_A, lots=2)
    return award(consultation, consultation.lots.get(number=1))


def test_a_buyer_completes_checks_and_publishes_the_essential_data(browser, live_server, contract):
    context, page = open_page(browser)
    base = live_server.url
    page.goto(f"{base}/connexion/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{base}/contrats/{contract.pk}/decp/")
    page.get_by_role("heading", name="Données à compléter").wait_for()
    page.get_by_role("link", name="Compléter les données essentielles").click()
    page.get_by_label("Nombre d'offres reçues").fill("4")
    page.get_by_label("Forme du prix").select_option("Forfaitaire")
    page.get_by_label("Définitif ferme").check()
    page.get_by_label("Clause sociale").check()
    page.get_by_label("Pas de considération environnementale").check()
    page.get_by_label("Code CPV principal").fill("4526")
    page.get_by_role("button", name="Enregistrer et vérifier").click()
    page.get_by_text("Le code CPV s'écrit avec 8 chiffres").wait_for()
    page.get_by_label("Code CPV principal").fill("45261210-9")
    page.get_by_role("button", name="Enregistrer et vérifier").click()
    page.get_by_role("heading", name="Conforme aux schémas officiels").wait_for()
    assert "<codeCPV>45261210-9</codeCPV>" in page.locator("#xml-title + pre").inner_text()
    page.get_by_role("button", name="Publier les données essentielles").click()
    page.get_by_role("status").filter(has_text="Les données essentielles sont publiées").wait_for()
    assert page.csp_errors == []
    context.close()
    contract.refresh_from_db()
    assert contract.is_published
    operator_id = contract.authority.operator_id
    with urllib.request.urlopen(f"{base}/contrats/donnees-essentielles/{operator_id}/decp.json") as response:  # noqa: S310
        records = json.load(response)["marches"]["marche"]
    assert [r["id"] for r in records] == [Contract.objects.get().decp_id]
    assert records[0]["offresRecues"] == 4
