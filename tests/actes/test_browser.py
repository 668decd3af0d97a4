"""The ACTES pages end to end through Chromium: create, follow, download, cancel, answer, batch, operator.

In the act's life and the request for documents, the ministry is the real simulator (a subprocess,
demo PKI, answers delivered into a Maildir) and the platform's side is the real worker steps
(``process_posted``, ``send_pending`` with our HTTPS client, ``poll_inbox`` on that Maildir); the
batch test still plays the ministry through the services.
Screenshots go to docs/screenshots/actes-*.png with BOUQUET_SCREENSHOTS=1.
"""

import datetime as dt
import io
import os
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from bouquet.actes import tasks
from bouquet.actes.choices import ResponseKind, Status, TransactionType
from bouquet.actes.demo import demo_pdf, ensure_classification
from bouquet.actes.models import Transaction
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.common import Document
from bouquet.actes.services.create_act import create_act
from bouquet.actes.services.send_envelope import send_envelope
from bouquet.actes.transport import HttpsMinistryClient, MaildirInbox
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode, OperatorRole, Role
from bouquet.core.models import OperatorStaff, Subscription
from bouquet.pki.testing import demo_pki_for_tests
from bouquet.test import PASSWORD, make_authority, make_modules, make_operator, make_user
from tests.actes.services.helpers import FakeClient
from tests.conftest import open_page
from tests.e2e.actes.support import SIREN, WAIT_SECONDS, Ministry, make_client

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# serialized_rollback: the flush after each test must not re-create the content types that the
# serialized-rollback tests running later (tests/e2e, tests/edge) restore themselves.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EMAIL = "secretaire@alpha.example.test"


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
        path = folder / f"actes-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000

    return take


@pytest.fixture
def commune(transactional_db):
    """A commune subscribed to ACTES with its classification, its secretary (CS + TT) and operator staff."""
    operator = make_operator()
    modules = make_modules()
    authority = make_authority(operator, "Commune d'Alpha", SIREN)  # the simulator's --authority
    Subscription.objects.create(
        authority=authority, module=modules[ModuleCode.ACTES], start_date=date(2024, 1, 1)
    )
    ensure_classification(authority)
    user = make_user(EMAIL, authority, Role.ADMIN, {ModuleCode.ACTES: (Access.WRITE, True, True)})
    staff = make_user("support@operateur.example.test")
    OperatorStaff.objects.create(user=staff, operator=operator, role=OperatorRole.SUPPORT)
    return authority, user


@dataclass
class Simulator:
    """The ministry simulator as a process, and the worker steps of the platform pointed at it."""

    ministry: Ministry
    client: HttpsMinistryClient
    maildir: Path

    def mails(self) -> int:
        """How many mails wait in the inbox (``new`` and ``cur``; handled ones are moved to sub-folders)."""
        count = 0
        for sub in ("new", "cur"):
            try:
                count += len(os.listdir(self.maildir / sub))
            except FileNotFoundError:  # the simulator is making the Maildir for its first mail
                continue
        return count

    def send(self) -> dict[str, int]:
        """``process_posted`` then ``send_pending``: what the worker does with the posted transactions."""
        tasks.process_posted.call()
        return tasks.send_pending.call(client=self.client)

    def receive(self, count: int = 1) -> dict[str, int]:
        """Wait (bounded) for the simulator's mails, then ``poll_inbox`` on its Maildir."""
        deadline = time.monotonic() + WAIT_SECONDS
        while self.mails() < count:
            assert time.monotonic() < deadline, self.ministry.log.read_text()[-3000:]
            time.sleep(0.05)
        return tasks.poll_inbox.call(inbox=MaildirInbox(self.maildir))


@pytest.fixture
def simulator(tmp_path):
    """``python -m bouquet.simulators.ministry.server`` (demo PKI, ``--authority``, Maildir delivery)."""
    pki = demo_pki_for_tests()
    work = tmp_path / "ministere"
    work.mkdir()
    maildir = work / "actes-inbox"
    ministry = Ministry(pki, work, maildir).start()
    yield Simulator(ministry, make_client(pki, ministry), maildir)
    ministry.stop()


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def pdf_file(name: str, title: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": demo_pdf(title)}


def send_and_acknowledge(transaction: Transaction) -> None:
    """What the workers and the ministry do: check, send, then the ministry's AR arrives by mail."""
    check_transaction(transaction=transaction)
    transaction.refresh_from_db()
    send_envelope(envelope=transaction.envelope, client=FakeClient())
    transaction.refresh_from_db()


def test_it_creates_follows_downloads_and_cancels_an_act(live_server, commune, simulator, page, shots):
    authority, user = commune
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/actes/nouveau/")
    main = page.locator("main")

    number = page.get_by_label("Numéro de l'acte")
    number.fill("2025-d50")
    assert "Numéro invalide" in page.locator("#number-live").inner_text()
    number.fill("2025_d050")
    number.blur()
    assert page.locator("#number-live").is_hidden()
    page.get_by_label("Date de décision").fill("2025-03-10")
    page.get_by_label("Objet").fill("Vente de la parcelle AB 12 au lieu-dit Les Vignes")
    page.get_by_label("Filtrer les matières").fill("alienation")
    visible = page.locator("#id_classification optgroup option:not([hidden])")
    assert visible.count() == 1 and visible.inner_text().startswith("3.2")
    page.locator("#id_classification").select_option("3.2")
    page.locator("#id_main_document").set_input_files(pdf_file("deliberation.pdf", "Deliberation 2025_D050"))
    page.locator("#id_main_typology").select_option("99_DE")
    page.locator("#id_annexes").set_input_files(
        [pdf_file("plan.pdf", "Plan de la parcelle"), pdf_file("notice.pdf", "Notice explicative")]
    )
    annex_selects = page.locator(".annex-list select")
    assert annex_selects.count() == 2
    assert page.locator(".annex-typology").is_hidden()
    annex_selects.nth(1).select_option("22_NE")
    preview = page.locator(".name-preview").inner_text()
    assert "99_DE-021-210100012-20250310-2025_D050-DE-1-1_1.pdf" in preview
    assert "22_NE-021-210100012-20250310-2025_D050-DE-1-1_3.pdf" in preview
    shots(page, "nouvel-acte")

    page.get_by_role("button", name="Enregistrer l'acte").click()
    page.wait_for_url(re.compile(r"/actes/\d+/$"))
    assert "L'acte 2025_D050 est enregistré" in main.inner_text()
    act = Transaction.objects.get(number="2025_D050")
    assert list(act.files.order_by("position").values_list("typology", flat=True)) == [
        "99_DE",
        "99_AU",
        "22_NE",
    ]

    page.goto(f"{live_server.url}/actes/")
    row = page.locator("tr", has_text="2025_D050")
    assert "Posté" in row.inner_text() and "Vente de la parcelle AB 12" in row.inner_text()
    shots(page, "liste")

    assert simulator.send() == {"sent": 1}
    act.refresh_from_db()
    assert act.status == Status.TRANSMIS
    assert simulator.receive() == {"applied": 1}  # the simulator's 1-2
    act.refresh_from_db()
    assert act.status == Status.ACQUITTEMENT_RECU
    assert act.id_acte == "021-210100012-20250310-2025_D050-DE"
    assert simulator.ministry.rows("SELECT id_acte, status FROM acts") == [
        {"id_acte": act.id_acte, "status": "acquitté"}
    ]
    page.goto(f"{live_server.url}/actes/{act.pk}/")
    assert "Acquittement reçu" in page.locator(".lead").inner_text()
    assert act.id_acte in main.inner_text()
    assert re.search(r"Reçu par le MI le \d{4}-\d\d-\d\d", page.locator(".timeline").inner_text())
    with page.expect_download() as download:
        page.get_by_role("link", name="Acte tamponné (PDF)").click()
    stamped = Path(download.value.path()).read_bytes()
    text = PdfReader(io.BytesIO(stamped)).pages[0].extract_text()
    assert "Reçu en préfecture le" in text and act.id_acte in text
    shots(page, "transaction")

    page.get_by_role("button", name="Annuler la transmission").click()
    page.wait_for_load_state()
    assert "L'annulation est déposée" in main.inner_text()
    cancellation = Transaction.objects.get(type=TransactionType.ANNULATION, related=act)
    assert simulator.send() == {"sent": 1}  # the 6-1
    assert simulator.receive() == {"applied": 1}  # the simulator's automatic 6-2
    cancellation.refresh_from_db()
    assert cancellation.status == Status.ACQUITTEMENT_RECU
    simulator.ministry.wait_rows("SELECT status FROM cancellations", [{"status": "acquittée"}])
    page.reload()
    assert "Annulé" in page.locator(".lead").inner_text()
    assert "Annulation reçue par le MI" in page.locator(".timeline").inner_text()
    assert page.csp_errors == []


def test_it_answers_a_request_for_documents(live_server, commune, simulator, page, shots):
    authority, user = commune
    act = create_act(
        authority=authority,
        actor=Actor.of_user(user),
        nature=1,
        number="2025_D060",
        subject="Budget annexe de l'eau",
        decision_date=dt.date(2025, 3, 10),
        classification="7.1",
        document=Document("budget.pdf", demo_pdf("Budget"), "99_DE"),
    )
    simulator.send()
    assert simulator.receive() == {"applied": 1}  # the 1-2
    act.refresh_from_db()
    assert act.status == Status.ACQUITTEMENT_RECU
    # The préfecture asks for documents with the simulator's CLI; the worker reads it and sends the 3-2.
    simulator.ministry.cli(
        "letter", "--type", "3-1", "--id-acte", act.id_acte, "--text", "Le plan de la parcelle"
    )
    assert simulator.receive() == {"applied": 1}
    letter = Transaction.objects.get(
        type=TransactionType.PIECES_COMPLEMENTAIRES, related=act, response_kind__isnull=True
    )
    assert letter.status == Status.DOCUMENT_RECU
    simulator.send()
    letter.refresh_from_db()
    assert letter.status == Status.ACQUITTEMENT_ENVOYE
    simulator.ministry.wait_rows("SELECT count(*) AS n FROM letters WHERE ar_received_at IS NULL", [{"n": 0}])

    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/actes/courriers/")
    row = page.locator("tr", has_text="Demande de pièces complémentaires")
    assert "non lu" in row.inner_text()
    shots(page, "courriers")
    row.get_by_role("link").click()
    page.wait_for_load_state()
    assert "Le plan de la parcelle" in page.locator("main").inner_text()
    form = page.locator("form", has=page.get_by_role("button", name="Envoyer les pièces complémentaires"))
    form.locator("input[name=document]").set_input_files(pdf_file("plan.pdf", "Plan"))
    form.locator("input[name=annexes]").set_input_files([pdf_file("cadastre.pdf", "Cadastre")])
    shots(page, "courrier")
    form.get_by_role("button", name="Envoyer les pièces complémentaires").click()
    page.locator(".messages").get_by_text("Votre réponse est déposée").wait_for()
    answer = Transaction.objects.get(type=TransactionType.PIECES_COMPLEMENTAIRES, response_kind__isnull=False)
    assert (answer.status, answer.response_kind, answer.files.count()) == (
        Status.POSTE,
        ResponseKind.ENVOI,
        2,
    )
    assert simulator.send() == {"sent": 1}  # the 3-4 reaches the préfecture
    answer.refresh_from_db()
    assert answer.status == Status.TRANSMIS
    simulator.ministry.wait_rows("SELECT code FROM answers", [{"code": "3-4"}])
    page.goto(f"{live_server.url}/actes/courriers/")
    assert "non lu" not in page.locator("tbody").inner_text()
    assert page.csp_errors == []


def test_it_sends_a_batch_and_shows_the_operator_the_stuck_ones(live_server, commune, page, shots):
    authority, user = commune
    lines = ["numero;nature;date;objet;classification;document"]
    names = []
    for n in range(1, 6):
        names.append(f"acte{n}.pdf")
        lines.append(f"2025_L00{n};DE;1{n}/03/2025;Délibération du lot n° {n};7.1;acte{n}.pdf")
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/actes/lot/")
    page.get_by_label("Tableau des actes (CSV ou Excel)").set_input_files(
        {"name": "lot.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}
    )
    page.get_by_label("Documents (PDF)").set_input_files([pdf_file(name, name) for name in names])
    page.get_by_role("button", name="Envoyer le lot").click()
    page.wait_for_selector(".batch-report")
    report = page.locator(".batch-report").inner_text()
    assert "5 actes enregistrés" in report
    assert report.count("Créé") == 5
    shots(page, "lot")
    assert Transaction.objects.filter(number__startswith="2025_L").count() == 5

    stuck = Transaction.objects.get(number="2025_L001")
    send_and_acknowledge(stuck)
    Transaction.objects.filter(pk=stuck.pk).update(
        last_status_at=stuck.last_status_at - dt.timedelta(hours=6)
    )
    waiting = Transaction.objects.get(number="2025_L002")  # posted, no worker picked it up
    Transaction.objects.filter(pk=waiting.pk).update(
        last_status_at=waiting.last_status_at - dt.timedelta(hours=1)
    )
    page.context.clear_cookies()
    log_in(page, live_server.url, "support@operateur.example.test")
    page.get_by_role("link", name="Actes des adhérents").click()
    page.get_by_role("link", name="Transactions bloquées").click()
    page.wait_for_load_state()
    table = page.locator("tbody").inner_text()
    assert "2025_L001" in table and "Commune d'Alpha" in table and "Transmis" in table
    assert "2025_L002" in table and "2025_L003" not in table
    shots(page, "operateur-bloquees")
    assert page.csp_errors == []
