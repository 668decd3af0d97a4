"""Through Chromium, the whole cycle: a buyer publishes a consultation with two lots; an anonymous
visitor downloads the DCE; a company asks a question and deposits a 50 MB offer with a visible
progress bar (surviving a network cut); the deadline passes; the buyer opens, awards and notifies;
the company's reading is the proof of receipt; the buyer completes and publishes the DECP record.

Screenshots go to docs/screenshots/marches-plis-*.png with BOUQUET_SCREENSHOTS=1.
"""

import hashlib
import io
import json
import os
import time
import urllib.request
import zipfile
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone

from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.core.models import Siret, Subscription
from bouquet.marches.bids.models import Award, Deposit, DepositFile, EvidenceEvent
from bouquet.marches.choices import Status
from bouquet.marches.models import Company, CompanyMembership, Consultation, Question
from bouquet.test import PASSWORD, make_authority, make_modules, make_operator, make_user
from tests.conftest import open_page
from tests.marches.browser.test_publish_and_download import EMAIL, SIRET, publish_with_two_lots
from tests.marches_bids.signing import plain_pdf

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
COMPANY_EMAIL = "offres@routes.example.test"
OFFER_SIZE = 50 * 1024 * 1024
WAIT = 300_000  # ms: a loaded CI machine may take minutes for 50 MB


@pytest.fixture
def platform(transactional_db):
    authority = make_authority(make_operator(), "Commune d'Alpha", "210100012")
    modules = make_modules()
    Subscription.objects.create(
        authority=authority, module=modules[ModuleCode.MARCHES], start_date=date(2024, 1, 1)
    )
    Siret.objects.create(authority=authority, siret=SIRET, label="Budget principal")
    make_user(EMAIL, authority, Role.ADMIN, {ModuleCode.MARCHES: (Access.WRITE, False, False)})
    user = make_user(COMPANY_EMAIL, first_name="Hugo")
    company = Company.objects.create(
        siret="73282932000074",
        name="Routes et Cie",
        address="1 rue des Routes",
        postal_code="21000",
        city="Dijon",
        email=COMPANY_EMAIL,
    )
    CompanyMembership.objects.create(user=user, company=company)
    return authority


@pytest.fixture
def shots(tmp_path):
    folder = SCREENSHOTS if os.environ.get("BOUQUET_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(folder / f"marches-plis-{name}.png"), full_page=True)

    return take


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def wait_for_progress(page, sent: int) -> None:
    """Poll the progress bar (the page's CSP forbids the evaluated predicates of wait_for_function)."""
    bar = page.locator("progress.deposit-progress")
    deadline = time.monotonic() + WAIT / 1000
    while float(bar.get_attribute("value") or 0) < sent:
        assert time.monotonic() < deadline, "the upload does not progress"
        page.wait_for_timeout(100)


def deposit_with_a_network_cut(page, base: str, consultation, offer: Path, shots) -> None:
    page.goto(f"{base}/consultations/{consultation.pk}/")
    page.get_by_label("Votre question").fill("Le lot 1 comprend-il la signalisation horizontale provisoire ?")
    page.get_by_role("button", name="Envoyer la question").click()
    page.get_by_role("status").filter(has_text="Question envoyée").wait_for()
    page.get_by_role("link", name="Déposer un pli").click()
    page.get_by_label("Fichiers de l'enveloppe « Candidature »").set_input_files(
        [{"name": "DC1.pdf", "mimeType": "application/pdf", "buffer": plain_pdf("DC1")}]
    )
    page.get_by_label("Fichiers de l'enveloppe « Offre — lot 1 : Chaussée »").set_input_files(str(offer))
    page.get_by_text("2 fichier(s), 50,0 Mo").wait_for()
    page.get_by_label("Je confirme vouloir déposer ce pli").check()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    # About 8 MB/s: the progress bar is visible for several seconds, as on a real connection.
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 5, "downloadThroughput": -1, "uploadThroughput": 8 * 1024 * 1024},
    )
    page.get_by_role("button", name="Envoyer et déposer mon pli").click()
    wait_for_progress(page, 12 * 1024 * 1024)
    shots(page, "envoi")
    assert "temps restant" in page.locator(".deposit-progress-text").inner_text()
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    page.get_by_text("Nouvelle tentative dans").wait_for(timeout=WAIT)
    shots(page, "coupure")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.locator(".deposit-done").wait_for(timeout=WAIT)
    shots(page, "recu")


def test_the_whole_cycle_from_publication_to_the_decp_record(live_server, browser, platform, shots, tmp_path):
    base = live_server.url
    offer_bytes = os.urandom(OFFER_SIZE)
    offer = tmp_path / "Offre lot 1.pdf"
    offer.write_bytes(b"%PDF-1.7\n" + offer_bytes[9:])
    expected = hashlib.sha256(offer.read_bytes()).hexdigest()

    # 1. The buyer publishes (the marches helper's own steps); 2. an anonymous visitor takes the DCE.
    context, page = open_page(browser)
    publish_with_two_lots(page, base)
    context.close()
    consultation = Consultation.objects.get(reference="2026-VOIRIE")
    context, page = open_page(browser, accept_downloads=True)
    page.goto(f"{base}/consultations/{consultation.pk}/")
    with page.expect_download() as zipped:
        page.get_by_role("link", name="Télécharger tout le DCE").click()
    assert "CCTP.pdf" in zipfile.ZipFile(io.BytesIO(Path(zipped.value.path()).read_bytes())).namelist()
    page.get_by_role("link", name="S'entraîner et tester mon navigateur").click()
    page.get_by_role("button", name="Lancer le test").click()
    page.get_by_text("Fichier reçu identique (SHA-256)").wait_for()
    assert page.locator(".check-ko").count() == 0, page.locator(".checks").inner_text()
    shots(page, "entrainement")
    assert page.csp_errors == []
    context.close()

    # 3. The company asks a question and deposits 50 MB, through a network cut.
    context, page = open_page(browser, accept_downloads=True)
    log_in(page, base, COMPANY_EMAIL)
    deposit_with_a_network_cut(page, base, consultation, offer, shots)
    assert page.csp_errors == []
    with page.expect_download() as ack:
        page.get_by_role("link", name="Télécharger l'accusé de réception (PDF)").click()
    assert Path(ack.value.path()).read_bytes().startswith(b"%PDF")
    context.close()
    assert Question.objects.filter(consultation=consultation).count() == 1
    deposit = Deposit.objects.get(consultation=consultation)
    assert not deposit.is_late
    big = DepositFile.objects.get(envelope__deposit=deposit, name="Offre lot 1.pdf")
    assert (big.size, big.sha256) == (offer.stat().st_size, expected)
    assert EvidenceEvent.objects.filter(deposit=deposit, kind="chunk").count() >= 14

    # 4. The deadline passes: the server's clock (every part of the application) moves 41 days on.
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", side_effect=lambda: real_now() + timedelta(days=41)):
        buyer_opens_awards_and_notifies(browser, base, consultation, expected, shots)
        company_receives_the_notification(browser, base, shots)
        award = Award.objects.get(consultation=consultation, lot__number=1)
        assert award.notification_received_at is not None and award.contract_opened
        consultation.refresh_from_db()
        assert consultation.status == Status.AWARDED
        decp_record(browser, base, consultation, shots)


def buyer_opens_awards_and_notifies(browser, base, consultation, expected, shots) -> None:
    context, page = open_page(browser, accept_downloads=True)
    log_in(page, base, EMAIL)
    page.goto(f"{base}/marches/{consultation.pk}/")
    page.get_by_role("link", name="Registre des dépôts et ouverture des plis").click()
    page.get_by_role("button", name="Ouvrir tous les plis").click()
    page.get_by_role("status").filter(has_text="enveloppe(s) ouverte(s)").wait_for()
    shots(page, "registre")
    page.get_by_role("link", name="Routes et Cie").click()
    with page.expect_download(timeout=WAIT) as download:
        page.get_by_role("link", name="Offre lot 1.pdf").click()
    assert hashlib.sha256(Path(download.value.path()).read_bytes()).hexdigest() == expected
    page.get_by_role("link", name="Attribution").click()
    lot1 = page.locator("section").filter(has_text="Lot 1 — Chaussée")
    lot1.get_by_label("Montant du marché (€ HT)").fill("125000")
    lot1.get_by_label("Motifs de la décision").fill("Seule offre, conforme et au prix du marché.")
    lot1.get_by_role("button", name="Enregistrer la décision et envoyer les lettres").click()
    page.get_by_role("status").filter(has_text="Décision enregistrée").wait_for()
    lot2 = page.locator("section").filter(has_text="Lot 2 — Signalisation")
    lot2.get_by_role("button", name="Déclarer ce lot infructueux").click()
    page.get_by_role("status").filter(has_text="Décision enregistrée").wait_for()
    page.get_by_label("Marché signé (PDF)").set_input_files(
        [{"name": "Marché signé.pdf", "mimeType": "application/pdf", "buffer": plain_pdf("Marché signé")}]
    )
    page.get_by_role("button", name="Notifier le titulaire").click()
    page.get_by_role("status").filter(has_text="Notification envoyée").wait_for()
    page.get_by_role("button", name="Publier l'avis d'attribution").click()
    page.get_by_role("status").filter(has_text="Avis d'attribution publié").wait_for()
    shots(page, "attribution")
    assert page.csp_errors == []
    context.close()


def company_receives_the_notification(browser, base, shots) -> None:
    context, page = open_page(browser)
    log_in(page, base, COMPANY_EMAIL)
    page.goto(f"{base}/depots/messages/")
    page.get_by_role("link", name="notification du marché").click()
    page.get_by_text("Marché signé.pdf").wait_for()
    shots(page, "notification")
    assert page.csp_errors == []
    context.close()


def decp_record(browser, base, consultation, shots) -> None:
    from bouquet.marches.contracts.models import Contract

    contract = Contract.objects.get(consultation=consultation, lot__number=1)
    context, page = open_page(browser)
    log_in(page, base, EMAIL)
    page.goto(f"{base}/contrats/{contract.pk}/decp/")
    page.get_by_role("link", name="Compléter les données essentielles").click()
    page.get_by_label("Nombre d'offres reçues").fill("1")
    page.get_by_label("Durée (mois)").fill("12")
    page.get_by_label("Code du lieu d'exécution").fill("21054")
    page.get_by_label("Forme du prix").select_option("Forfaitaire")
    page.get_by_label("Définitif ferme").check()
    page.get_by_label("Pas de considération sociale").check()
    page.get_by_label("Pas de considération environnementale").check()
    page.get_by_role("button", name="Enregistrer et vérifier").click()
    page.get_by_role("heading", name="Conforme aux schémas officiels").wait_for()
    page.get_by_role("button", name="Publier les données essentielles").click()
    page.get_by_role("status").filter(has_text="Les données essentielles sont publiées").wait_for()
    shots(page, "decp")
    assert page.csp_errors == []
    context.close()
    operator_id = consultation.authority.operator_id
    with urllib.request.urlopen(f"{base}/contrats/donnees-essentielles/{operator_id}/decp.json") as response:  # noqa: S310
        records = json.load(response)["marches"]["marche"]
    assert [(r["montant"], r["titulaires"][0]["titulaire"]["id"]) for r in records] == [
        (125000, "73282932000074")
    ]
