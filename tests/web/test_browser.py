"""End-to-end through Chromium: log in with the form, switch authority, and check isolation on screen."""

import os
from datetime import date
from pathlib import Path

import pytest

from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.core.models import Membership, Siret, Subscription
from bouquet.test import PASSWORD, make_authority, make_modules, make_operator, make_user
from tests.conftest import open_page

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# serialized_rollback, as every transactional test of the suite: a plain flush re-creates the
# content types, which a serialized-rollback test running later would then insert a second time.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def page(browser):
    context, page = open_page(browser)
    yield page
    context.close()


def two_authorities():
    operator = make_operator()
    modules = make_modules()
    alpha = make_authority(operator, "Commune d'Alpha", "210100012")
    beta = make_authority(operator, "Syndicat de Bêta", "210200010")
    Siret.objects.create(authority=alpha, siret="21010001200017", label="Budget principal d'Alpha")
    Siret.objects.create(authority=beta, siret="21020001000015", label="Budget principal de Bêta")
    for code in (ModuleCode.ACTES, ModuleCode.HELIOS):
        Subscription.objects.create(authority=alpha, module=modules[code], start_date=date(2024, 1, 1))
    Subscription.objects.create(
        authority=beta, module=modules[ModuleCode.MARCHES], start_date=date(2025, 6, 1)
    )
    user = make_user(
        "secretaire@example.test", alpha, Role.ADMIN, {ModuleCode.ACTES: (Access.WRITE, True, True)}
    )
    Membership.objects.create(user=user, authority=beta, role=Role.AGENT)
    return user


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_it_switches_authority_and_shows_only_its_data(live_server, transactional_db, page):
    two_authorities()
    log_in(page, live_server.url, "secretaire@example.test", PASSWORD)

    main = page.locator("main")
    assert page.locator("h1").inner_text() == "Commune d'Alpha"
    assert "21010001200017" in main.inner_text()
    assert "Actes (contrôle de légalité)" in main.inner_text()
    assert "Bêta" not in main.inner_text()
    assert "21020001000015" not in page.content()

    page.get_by_label("Collectivité").select_option(label="Syndicat de Bêta")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Syndicat de Bêta"
    text = main.inner_text()
    assert "21020001000015" in text and "Marchés publics" in text
    assert "21010001200017" not in page.content()
    assert "Actes (contrôle de légalité)" not in text
    assert "Alpha" not in text
    assert page.csp_errors == []


def test_it_keeps_the_keyboard_path(live_server, transactional_db, page):
    two_authorities()
    page.goto(f"{live_server.url}/connexion/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # visible once focused
    assert page.csp_errors == []


def test_the_demo_data_shows_to_a_secretary_and_to_operator_support(
    live_server, transactional_db, page, tmp_path
):
    """Also refreshes docs/screenshots/ when BOUQUET_SCREENSHOTS=1."""
    from bouquet.core import demo

    demo.load()
    folder = SCREENSHOTS if os.environ.get("BOUQUET_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    log_in(page, live_server.url, demo.demo_email("secretaire.vitteaux"), demo.DEMO_PASSWORD)
    # Her first authority in alphabetical order; the other one is a switch away.
    assert "Commune d'Is-sur-Tille" in page.locator("main").inner_text()
    page.screenshot(path=str(folder / "dashboard.png"), full_page=True)
    page.context.clear_cookies()
    log_in(page, live_server.url, demo.demo_email("support.operateur"), demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/operateur/collectivites/")
    listing = page.locator("main").inner_text()
    assert "Commune de Beaune" in listing and "SIVOS de la Vallée de l'Ouche" in listing
    page.screenshot(path=str(folder / "operateur-collectivites.png"), full_page=True)
    assert (folder / "operateur-collectivites.png").stat().st_size > 10_000
    assert page.csp_errors == []
