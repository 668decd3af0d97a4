"""The HELIOS pages end to end through Chromium, with the DGFiP simulator as a real FTP server.

Upload a signed PES (the progress bar moves, the pre-flight report shows each check and the signer),
send it, receive the simulator's PES_ACQUIT (shown as a table), then a PES_Retour that the agent
downloads. Screenshots go to docs/screenshots/helios-*.png with BOUQUET_SCREENSHOTS=1.
"""

import hashlib
import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from bouquet.core.choices import Access, ModuleCode, OperatorRole, Role
from bouquet.core.models import OperatorStaff, Subscription
from bouquet.helios.choices import Status
from bouquet.helios.models import HeliosParameters, IncomingFile, Retour, Transaction, TransmissionSlot
from bouquet.helios.transport import WindowBudget
from bouquet.pki.models import TrustedCA
from bouquet.pki.trust import clear_cache
from bouquet.test import PASSWORD, make_authority, make_modules, make_operator, make_user
from tests.conftest import open_page
from tests.helios.pes.generate import write_pes_aller
from tests.helios.pes.signing import make_signer

from .support import Dgfip, Worker

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
S2LOW = Path(__file__).resolve().parents[2] / "fixtures/pes/s2low/test/PHPUnit/helios/fixtures"
EMAIL = "comptable@alpha.example.test"
STAFF = "support@operateur.example.test"
SIRET = "21340172201787"  # the IdColl of the generated PES
SIREN = "213401722"


@pytest.fixture
def page(browser):
    context, page = open_page(browser, accept_downloads=True)
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path):
    folder = SCREENSHOTS if os.environ.get("BOUQUET_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        path = folder / f"helios-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000

    return take


@pytest.fixture
def signer():
    """The ordonnateur's certificate, made trusted by the platform (as an RGS CA would be)."""
    signer = make_signer("Marie Ordonnatrice")
    TrustedCA.objects.create(
        name="AC de test",
        der=signer.der,
        fingerprint_sha256=hashlib.sha256(signer.der).hexdigest(),
        subject=signer.certificate.subject.rfc4514_string(),
    )
    clear_cache()
    yield signer
    clear_cache()


@pytest.fixture
def commune(transactional_db):
    """A commune on HELIOS with its "site destinataire", its accountant (CS + TT), operator staff."""
    operator = make_operator()
    modules = make_modules()
    authority = make_authority(operator, "Commune d'Alpha", SIREN)
    Subscription.objects.create(
        authority=authority, module=modules[ModuleCode.HELIOS], start_date=date(2024, 1, 1)
    )
    HeliosParameters.objects.create(authority=authority, p_dest="VHPCE11")
    make_user(EMAIL, authority, Role.ADMIN, {ModuleCode.HELIOS: (Access.WRITE, True, True)})
    staff = make_user(STAFF)
    OperatorStaff.objects.create(user=staff, operator=operator, role=OperatorRole.SUPPORT)
    return authority


@pytest.fixture
def worker():
    """The DGFiP simulator process, and the worker steps pointed at it."""
    work = Path(tempfile.mkdtemp(prefix="bouquet-helios-"))
    simulator = Dgfip(work).start()
    yield Worker(simulator)
    simulator.stop()
    shutil.rmtree(work, ignore_errors=True)


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def slow_uploads(page, bytes_per_second: int | None) -> None:
    """Throttle the browser's uploads (Chrome DevTools protocol) so that the progress bar is seen moving."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": bytes_per_second or -1,
        },
    )


def test_upload_report_send_acquit_and_retour(live_server, commune, signer, worker, page, shots, tmp_path):
    log_in(page, live_server.url, EMAIL)
    main = page.locator("main")

    # A file Hélios would refuse: the report says why and nothing is stored.
    page.goto(f"{live_server.url}/helios/deposer/")
    page.get_by_label("Fichier PES").set_input_files(str(S2LOW / "pes_aller_utf8.xml"))
    page.get_by_role("button", name="Contrôler le fichier").click()
    page.locator(".preflight-refused").wait_for()
    assert "Le fichier doit déclarer l'encodage ISO-8859-1" in main.inner_text()
    shots(page, "refus")
    assert not Transaction.objects.exists()

    # A signed 4 MiB PES, uploaded slowly enough to watch the progress bar.
    pes = write_pes_aller(
        tmp_path / "PES_mandats_mars.xml", bordereaux=2, pieces=20, pj_bytes=4 * 1024 * 1024,
        signer=signer, nomfic="PES_NAVIGATEUR_0001",
    )  # fmt: skip
    page.goto(f"{live_server.url}/helios/deposer/")
    slow_uploads(page, 1024 * 1024)
    page.get_by_label("Fichier PES").set_input_files(str(pes))
    page.get_by_role("button", name="Contrôler le fichier").click()
    page.wait_for_function(
        "() => { const bar = document.querySelector('.upload-progress');"
        " return bar && !bar.hidden && bar.value > 5 && bar.value < 95; }"
    )
    assert re.search(r"Envoi du fichier : \d+ %", page.locator(".upload-status").inner_text())
    shots(page, "envoi-progression")
    page.get_by_text("Rapport de contrôle de « PES_mandats_mars.xml »").wait_for(timeout=90_000)
    slow_uploads(page, None)
    report = page.locator("#preflight")
    assert "Fichier conforme" in report.inner_text()
    checks = page.locator("table.checks tbody tr")
    assert checks.count() == 10
    assert all("conforme" in checks.nth(i).inner_text() for i in range(10))
    signature = page.locator("table.signatures tbody tr").first
    text = signature.inner_text()
    assert "Bordereau de dépense n° 1" in text and "Marie Ordonnatrice" in text and "valide" in text
    assert "Certificat de Marie Ordonnatrice reconnu" in text
    assert not Transaction.objects.exists()
    shots(page, "controle")

    page.get_by_role("button", name="Envoyer à Hélios").click()
    page.wait_for_url(re.compile(r"/helios/\d+/$"))
    assert "part vers la DGFiP" in main.inner_text()
    transaction = Transaction.objects.get()
    assert transaction.status == Status.POSTE
    assert transaction.file.read() == pes.read_bytes()  # the bytes sent are the bytes received

    # The worker sends it to the simulator over FTP; the simulator's PES_ACQUIT comes back.
    assert worker.send() == {"sent": 1}
    transaction.refresh_from_db()
    assert transaction.status == Status.TRANSMIS

    def acknowledged() -> bool:
        transaction.refresh_from_db()
        return transaction.status == Status.INFORMATION_DISPONIBLE

    worker.receive_until(acknowledged, "acquittement")
    page.reload()
    assert "Tout est accepté" in main.inner_text()
    rows = page.locator("table.acquit-table tbody tr")
    assert rows.count() >= 2  # the bordereaux, the attachment
    assert "Bordereau 1 (2026)" in rows.first.inner_text() and "Accepté" in rows.first.inner_text()
    timeline = page.locator(".timeline").inner_text()
    for status in ("Posté", "En attente de transmission", "Transmis", "Information disponible"):
        assert status in timeline
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Acquittement du")).click()
    assert b"PES_ACQUIT" in Path(download.value.path()).read_bytes()
    shots(page, "acquittement")

    # The DGFiP sends a PES_Retour for the SIRET of the PES sent: it reaches the commune's inbox.
    worker.dgfip.retour(SIRET, "123")
    worker.receive_until(Retour.objects.exists, "PES Retour")
    page.goto(f"{live_server.url}/helios/retours/")
    row = page.locator("table.retours-table tbody tr").first
    assert "non lu" in row.inner_text()
    shots(page, "retours")
    with page.expect_download() as download:
        row.get_by_role("link").click()
    content = Path(download.value.path()).read_bytes()
    assert b"PES_Retour" in content and SIRET.encode() in content
    page.reload()
    assert "lu le" in page.locator("table.retours-table tbody tr").first.inner_text()
    assert Retour.objects.get().is_read
    assert page.csp_errors == []


def test_operator_assigns_a_retour_and_reads_the_windows(live_server, commune, worker, page, shots, settings):
    worker.dgfip.retour("99999999900019", "999")  # a SIRET no member ever sent
    worker.receive_until(IncomingFile.objects.exists, "retour non affecté")
    log_in(page, live_server.url, STAFF)
    page.goto(f"{live_server.url}/helios/operateur/retours/")
    main = page.locator("main")
    assert "99999999900019" in main.inner_text()
    page.get_by_label(re.compile("Collectivité destinataire")).select_option(value=str(commune.pk))
    page.get_by_label("rattacher le SIRET").check()
    shots(page, "operateur-retours")
    page.get_by_role("button", name="Affecter").click()
    page.wait_for_load_state()
    assert "est remis à Commune d'Alpha" in main.inner_text()
    assert Retour.objects.get().authority == commune

    settings.HELIOS_WINDOW_HOURS, settings.HELIOS_WINDOW_DAYS = "7-18", "0-4"
    settings.HELIOS_WINDOW_BYTES_PER_HOUR = 64 * 1024 * 1024
    TransmissionSlot.objects.create(
        slot=WindowBudget.slot_key(timezone.localtime()), bytes_used=21 * 1024 * 1024
    )
    page.goto(f"{live_server.url}/helios/operateur/fenetres/")
    assert "de 7 h à 19 h" in main.inner_text() and "du lundi au vendredi" in main.inner_text()
    assert "21,0 Mio sur 64,0 Mio (33 %)" in main.inner_text().replace("\xa0", " ")
    assert len(page.locator("table tbody tr").all()) == 24
    shots(page, "operateur-fenetres")
    assert page.csp_errors == []
