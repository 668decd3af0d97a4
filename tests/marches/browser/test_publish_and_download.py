"""Through Chromium: a buyer publishes a consultation with two lots and its DCE; an anonymous
visitor finds it, downloads the whole DCE as a zip and one document, and both are registered.
Screenshots go to docs/screenshots/marches-*.png with BOUQUET_SCREENSHOTS=1.
"""

import io
import os
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.core.models import Siret, Subscription
from bouquet.marches.choices import Status
from bouquet.marches.models import Consultation, Download
from bouquet.test import PASSWORD, make_authority, make_modules, make_operator, make_user
from tests.conftest import open_page
from tests.marches.helpers import PDF

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
EMAIL = "acheteur@alpha.example.test"
SIRET = "21010001200017"


@pytest.fixture
def buyer(transactional_db):
    authority = make_authority(make_operator(), "Commune d'Alpha", "210100012")
    modules = make_modules()
    Subscription.objects.create(
        authority=authority, module=modules[ModuleCode.MARCHES], start_date=date(2024, 1, 1)
    )
    Siret.objects.create(authority=authority, siret=SIRET, label="Budget principal")
    return make_user(EMAIL, authority, Role.ADMIN, {ModuleCode.MARCHES: (Access.WRITE, False, False)})


@pytest.fixture
def shots(tmp_path):
    folder = SCREENSHOTS if os.environ.get("BOUQUET_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(folder / f"marches-{name}.png"), full_page=True)

    return take


def publish_with_two_lots(page, base: str) -> None:
    page.goto(f"{base}/connexion/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{base}/marches/nouvelle/")
    deadline = timezone.localtime() + timedelta(days=40)
    fields = {
        "Référence": "2026-VOIRIE",
        "Objet": "Réfection de la voirie du bourg",
        "SIRET de l'acheteur": SIRET,
        "Code CPV principal": "45233140-2",
        "Lieu d'exécution": "Alpha",
        "Montant estimé (€ HT)": "150000",
        "Date limite des questions": (deadline - timedelta(days=10)).strftime("%Y-%m-%dT12:00"),
        "Date et heure limites de remise des plis": deadline.strftime("%Y-%m-%dT12:00"),
        "Texte de l'avis": "Travaux de réfection de la voirie, en deux lots.",
    }
    for label, value in fields.items():
        page.get_by_label(label, exact=label == "Lieu d'exécution").fill(value)
    page.get_by_label("Type de marché").select_option("works")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("status").filter(has_text="Consultation créée").wait_for()
    for lot in ("Chaussée", "Signalisation"):
        page.get_by_text("Ajouter un lot").click()
        page.get_by_label("Objet du lot").fill(lot)
        page.get_by_label("Code CPV", exact=True).fill("45233140-2")
        page.get_by_role("button", name="Ajouter le lot").click()
        page.get_by_text("Lot n° ").first.wait_for()
    page.get_by_label("Documents").set_input_files(
        [
            {
                "name": "Règlement de la consultation.pdf",
                "mimeType": "application/pdf",
                "buffer": PDF + b"RC",
            },
            {"name": "CCTP.pdf", "mimeType": "application/pdf", "buffer": PDF + b"CCTP"},
        ]
    )
    page.get_by_role("button", name="Ajouter au DCE").click()
    page.get_by_role("status").filter(has_text="Ajouté au DCE").wait_for()
    page.get_by_role("link", name="Publier…").click()
    page.get_by_role("button", name="Publier maintenant").click()
    page.get_by_role("status").filter(has_text="La consultation est publiée").wait_for()


def test_a_buyer_publishes_and_an_anonymous_visitor_downloads_the_dce(live_server, browser, buyer, shots):
    context, page = open_page(browser)
    publish_with_two_lots(page, live_server.url)
    shots(page, "consultation")
    assert page.csp_errors == []
    context.close()
    consultation = Consultation.objects.get(reference="2026-VOIRIE")
    assert consultation.status == Status.PUBLISHED
    assert consultation.lots.count() == 2

    context, page = open_page(browser, accept_downloads=True)
    page.goto(f"{live_server.url}/consultations/")
    page.get_by_label("Mots-clés").fill("voirie")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Réfection de la voirie du bourg").click()
    page.get_by_text("Lot 2").wait_for()
    shots(page, "page-publique")
    with page.expect_download() as zipped:
        page.get_by_role("link", name="Télécharger tout le DCE").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(zipped.value.path()).read_bytes()))
    assert sorted(archive.namelist()) == ["CCTP.pdf", "Règlement de la consultation.pdf"]
    with page.expect_download() as single:
        page.get_by_role("link", name="CCTP.pdf").click()
    assert Path(single.value.path()).read_bytes() == PDF + b"CCTP"
    assert single.value.suggested_filename == "CCTP.pdf"
    assert page.csp_errors == []
    context.close()

    logs = list(Download.objects.filter(consultation=consultation).order_by("at"))
    assert [log.is_archive for log in logs] == [True, False]
    assert all(log.ip == "127.0.0.1" and log.user is None for log in logs)
