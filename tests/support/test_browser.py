"""Two member journeys through Chromium: registering for a training (with its .ics), and asking
for a service on demand. Screenshots go to the test's temporary folder."""

import os
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from bouquet.core.choices import Role
from bouquet.support.models import OnDemandService, Registration, ServiceInterest
from bouquet.test import PASSWORD, make_authority, make_modules, make_operator, make_user
from tests.conftest import open_page

from .helpers import make_session
from .ical import parse, unescape

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "agent@commune-alpha.example.test"


@pytest.fixture
def agent(transactional_db):
    operator = make_operator()
    make_modules()
    authority = make_authority(operator, "Commune d'Alpha", "210100012")
    make_user(EMAIL, authority, Role.AGENT, first_name="Agathe")
    make_user("collegue@commune-alpha.example.test", authority, Role.AGENT, first_name="Colin")
    return operator, authority


@pytest.fixture
def page(browser):
    context, page = open_page(browser, accept_downloads=True)
    yield page
    context.close()


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"support-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def test_an_agent_registers_for_a_training_and_downloads_the_invitation(live_server, agent, page, tmp_path):
    operator, authority = agent
    session = make_session(
        operator, capacity=3, title="Prise en main des actes", location="https://visio.example.test/actes"
    )
    year = timezone.localtime(session.starts_at).year
    log_in(page, live_server.url)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Accompagnement"
    ).click()
    page.get_by_role("navigation", name="Accompagnement").get_by_role("link", name="Formations").click()
    page.wait_for_load_state()
    if f"Formations {year}" not in page.locator("h1").inner_text():  # the session is in the next year
        page.get_by_role("link", name=f"Année {year}").click()
    page.get_by_role("link", name="Prise en main des actes").click()
    page.wait_for_load_state()
    assert "3 libres" in page.locator(".facts").inner_text()
    assert "(vous)" in page.get_by_label("Participant").locator("option:checked").inner_text()
    shot(page, tmp_path, "formation")

    page.get_by_role("button", name="Inscrire").click()
    page.locator(".messages").get_by_text("Inscription confirmée pour Agathe Test").wait_for()
    assert "Agathe Test — inscription confirmée" in page.locator(".registrations").inner_text()
    assert "2 libres" in page.locator(".facts").inner_text()
    registration = Registration.objects.get(session=session)
    assert (registration.participant.email, registration.status) == (EMAIL, "confirmed")
    assert [m.to for m in mail.outbox] == [[EMAIL]]

    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    assert download.value.suggested_filename == f"formation-{session.pk}.ics"
    event = parse(Path(download.value.path()).read_bytes()).child("VEVENT")
    assert unescape(event.value("SUMMARY")) == "Formation : Prise en main des actes"
    assert event.local_time("DTSTART") == session.starts_at
    assert unescape(event.value("LOCATION")) == "https://visio.example.test/actes"
    shot(page, tmp_path, "inscrit")
    assert page.csp_errors == []


def test_an_agent_registers_the_authority_s_interest_in_a_service(live_server, agent, page, tmp_path):
    operator, authority = agent
    OnDemandService.objects.create(
        operator=operator,
        code="coffre-fort",
        name="Coffre-fort de mots de passe",
        threshold=15,
        summary="Garder en sécurité les mots de passe de la mairie.",
    )
    OnDemandService.objects.create(
        operator=operator,
        code="site",
        name="Site internet",
        threshold=25,
        summary="Un site simple pour la commune.",
    )
    log_in(page, live_server.url)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Accompagnement"
    ).click()
    page.get_by_role("navigation", name="Accompagnement").get_by_role(
        "link", name="Services à la demande"
    ).click()
    card = page.locator("#service-coffre-fort")
    assert "0 collectivité intéressée sur 15 nécessaires" in card.inner_text()
    card.get_by_role("button", name="Nous sommes intéressés par Coffre-fort de mots de passe").click()
    page.locator(".messages").get_by_text(
        "Commune d'Alpha est intéressée par « Coffre-fort de mots de passe »"
    ).wait_for()
    card = page.locator("#service-coffre-fort")
    assert "1 collectivité intéressée sur 15 nécessaires" in card.inner_text()
    assert "Votre collectivité est intéressée" in card.inner_text()
    assert card.get_by_role(
        "button", name="Retirer notre demande pour Coffre-fort de mots de passe"
    ).is_visible()
    assert "0 collectivité intéressée" in page.locator("#service-site").inner_text()
    shot(page, tmp_path, "services")
    interest = ServiceInterest.objects.get()
    assert (interest.authority, interest.registered_by.email, interest.service.code) == (
        authority,
        EMAIL,
        "coffre-fort",
    )
    assert page.csp_errors == []
