"""The server-side world the Pastell traffic expects: SIREN 491011698, transactions 666, 999, 5,
3268 and files 3968/3969, a classification allowing Pastell's typologies, certificates bound.
"""

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from bouquet.actes import demo, workflow
from bouquet.actes.choices import FileRole, Status, TransactionType
from bouquet.actes.models import Classification, Transaction, TransactionFile
from bouquet.actes.protocol import build_message
from bouquet.actes.protocol.messages import Matiere, NatureActe, RetourClassification, TypePJ
from bouquet.actes.storage import sha256_hex, store_bytes
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.pki.middleware import clear_validation_cache
from bouquet.pki.services import import_certificate
from bouquet.pki.testing import demo_pki_for_tests, install_demo_trust
from bouquet.test import make_authority, make_modules, make_operator, make_user

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PASTELL = FIXTURES / "actes" / "pastell" / "test" / "PHPUnit" / "module" / "actes-generique" / "fixtures"
AR_ACTES = (PASTELL / "aractes.xml").read_bytes()
ID_ACTE = "034-491011698-20171207-CL20171227_06-DE"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANNEX = b"%PDF-1.4\n% annexe\n%%EOF\n"
ERROR_TEXT = "Enveloppe invalide : le fichier n'est pas un PDF (numéro é)"
FULL = {ModuleCode.ACTES: (Access.WRITE, True, True), ModuleCode.HELIOS: (Access.WRITE, True, True)}
CS_ONLY = {ModuleCode.ACTES: (Access.WRITE, True, False), ModuleCode.HELIOS: (Access.WRITE, True, False)}
PES_FIXTURES = FIXTURES / "pes" / "pastell"
#: Pastell's PES samples: an unsigned PES_Aller, the acquittement its fake TdT returns, a PES_Retour.
PES_ALLER = (
    PES_FIXTURES / "test/PHPUnit/module/helios-generique/fixtures/HELIOS_SIMU_ALR2_1496987735_826268894.xml"
).read_bytes()
PES_ACQUIT = (PES_FIXTURES / "connecteur/fakeTdt/fixtures/pes_acquit.xml").read_bytes()
PES_RETOUR = (
    PES_FIXTURES / "test/PHPUnit/connecteur/s2low/fixtures/HELIOS_SIMU_RETOUR_1565181244_184723364.xml"
).read_bytes()
SYSTEM = Actor.system("tests S²LOW")


def build_classification() -> bytes:
    """The demo classification (2019-03-01) where nature 3 also allows 41_NC (Pastell's annex code)."""
    natures = []
    for code, label, abbr, types in demo.NATURES:
        extra = [("41_NC", "Notification")] if code == 3 else []
        natures.append(NatureActe(code, label, abbr, tuple(TypePJ(c, lib) for c, lib in [*types, *extra])))
    matieres = tuple(
        Matiere(code, label, tuple(Matiere(c, lib) for c, lib in kids)) for code, label, kids in demo.MATIERES
    )
    message = RetourClassification(
        date_classification=dt.date(2019, 3, 1), natures=tuple(natures), matieres=matieres
    )
    return build_message(message)


def cert_header(name: str) -> str:
    return demo_pki_for_tests().users[name].cert.read_text().replace("\n", "%0A").replace(" ", "%20")


def basic(login: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


def add_file(transaction, pk, data, role, original, business, typology="", position=1):
    return TransactionFile.objects.create(
        pk=pk,
        transaction=transaction,
        stored_file=store_bytes(data),
        original_name=original,
        business_name=business,
        mime_type="application/pdf" if data.startswith(b"%PDF") else "text/xml",
        size=len(data),
        role=role,
        typology=typology,
        position=position,
    )


def make_act(authority, pk, statuses, *, number=None, message=None, id_acte=""):
    act = workflow.create_transaction(
        actor=SYSTEM,
        status=Status.POSTE,
        message="Dépôt initial",
        id=pk,
        authority=authority,
        type=TransactionType.ACTE,
        nature=1,
        number=number or f"ACTE{pk}",
        subject="Délibération de test",
        decision_date=dt.date(2017, 12, 7),
        classification="2.1",
        classification_date=dt.date(2019, 3, 1),
    )
    events = {2: workflow.Event.CHECK_OK, 3: workflow.Event.SEND_OK, -1: workflow.Event.CHECK_FAILED}
    for status in statuses:
        if status == 4:
            workflow.change_status(
                act,
                workflow.Event.ACK_RECEIVED,
                message="Reçu par le MI",
                actor=SYSTEM,
                received_xml=AR_ACTES,
                id_acte=id_acte,
            )
        else:
            workflow.change_status(act, events[status], message=message or "étape", actor=SYSTEM)
    return act


@dataclass
class World:
    authority: object
    other: object
    alice: object  # TT + CS in authority, login "login1" / "pw" like Pastell's recorded connector
    cecile: object  # CS only in authority
    charlie: object  # TT in the other authority
    act: Transaction  # 666, acknowledged
    letter: Transaction  # 3268, demande de pièces complémentaires about 666
    foreign: Transaction  # an acknowledged act of the other authority
    helios: object = None  # HELIOS transaction 1234, "information disponible" with its acquittement
    retour: object = None  # PES_Retour 122 of the authority, unread
    foreign_retour: object = None  # PES_Retour 123 of the other authority

    def client(self, cert: str = "valid_rgs", login: str | None = None, password: str = "pw") -> Client:
        extra = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_SSL_CLIENT_CERT": cert_header(cert)}
        if login:
            extra["HTTP_AUTHORIZATION"] = basic(login, password)
        return Client(**extra)


@pytest.fixture
def world(db, settings) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    install_demo_trust(demo_pki_for_tests())
    clear_validation_cache()
    operator = make_operator()
    make_modules()
    authority = make_authority(operator, "Commune de Pastell", "491011698", departement="034")
    other = make_authority(operator, "Commune Voisine", "210200010", departement="02A")
    raw = build_classification()
    for target in (authority, other):
        Classification.objects.create(
            authority=target, version=dt.date(2019, 3, 1), raw=raw, sha256=sha256_hex(raw)
        )
    alice = make_user("login1", authority, Role.ADMIN, FULL)
    cecile = make_user("cecile@pastell.example.test", authority, Role.AGENT, CS_ONLY)
    charlie = make_user("charlie@voisine.example.test", other, Role.ADMIN, FULL)
    for user in (alice, cecile, charlie):
        user.set_password("pw")
        user.save()
    pki = demo_pki_for_tests()
    import_certificate(data=pki.users["valid_rgs"].cert.read_bytes(), actor=None, bind_to=[alice])
    import_certificate(
        data=pki.users["valid_non_rgs"].cert.read_bytes(), actor=None, bind_to=[cecile, charlie]
    )
    act = make_act(authority, 666, [2, 3, 4], number="CL20171227_06", id_acte=ID_ACTE)
    base = "034-491011698-20171207-CL20171227_06-DE-1-1"
    add_file(act, 3968, PDF, FileRole.MAIN, "mon acte __.pdf", f"99_DE-{base}_1.pdf", "99_DE", 1)
    add_file(act, 3969, ANNEX, FileRole.ANNEX, "annexe_2.pdf", f"99_AU-{base}_2.pdf", "99_AU", 2)
    make_act(authority, 999, [-1], message=ERROR_TEXT)
    make_act(authority, 5, [2, 3])
    letter = workflow.create_transaction(
        actor=SYSTEM,
        status=Status.DOCUMENT_RECU,
        message="Reçu par le Tdt",
        id=3268,
        authority=authority,
        type=TransactionType.PIECES_COMPLEMENTAIRES,
        nature=1,
        number=act.number,
        subject="Pièces à compléter",
        decision_date=act.decision_date,
        classification=act.classification,
        id_acte=ID_ACTE,
        related=act,
        letter_date=dt.date(2018, 1, 10),
    )
    letter_xml = b'<?xml version="1.0" encoding="ISO-8859-1"?><actes:LettreCourrier/>'
    add_file(
        letter,
        3270,
        letter_xml,
        FileRole.LETTER,
        "034-491011698-20171207-CL20171227_06-DE-3-1_0.xml",
        "034-491011698-20171207-CL20171227_06-DE-3-1_0.xml",
        position=1,
    )
    add_file(
        letter,
        3271,
        PDF,
        FileRole.RECEIVED,
        "034-491011698-20171207-CL20171227_06-DE-3-1_1.pdf",
        "034-491011698-20171207-CL20171227_06-DE-3-1_1.pdf",
        position=2,
    )
    foreign = make_act(other, 7777, [2, 3, 4], number="B_0001", id_acte="02A-210200010-20171207-B_0001-DE")
    add_file(foreign, 7778, PDF, FileRole.MAIN, "secret.pdf", "99_DE-secret_1.pdf", "99_DE", 1)
    helios, retour, foreign_retour = helios_world(authority, other)
    yield World(
        authority, other, alice, cecile, charlie, act, letter, foreign, helios, retour, foreign_retour
    )
    clear_validation_cache()


def make_retour(authority, pk: int, data: bytes, name: str):
    from bouquet.helios.models import Retour
    from bouquet.helios.storage import store

    stored = store(data)
    return Retour.objects.create(
        id=pk, authority=authority, siret="12345678900012", filename=name, file=stored, size=stored.size,
        sha256=stored.sha256, nom_fic=name, cod_col="221",
    )  # fmt: skip


def helios_world(authority, other):
    """Transaction 1234 acquitted (Pastell's fake-TdT acquittement), retours 122 (ours) and 123 (theirs)."""
    from bouquet.helios import workflow as helios_workflow
    from bouquet.helios.models import HeliosParameters
    from bouquet.helios.services.apply_incoming_file import apply_incoming_file
    from bouquet.helios.storage import store

    for target, p_dest in ((authority, "VHPCE11"), (other, "VHPCE21")):
        HeliosParameters.objects.create(authority=target, p_dest=p_dest)
    stored = store(PES_ALLER)
    transaction = helios_workflow.create_transaction(
        actor=SYSTEM, status=1, message="Fichier bien reçu par la plate-forme", id=1234, authority=authority,
        filename="HELIOS_SIMU_ALR2_1496987735_826268894.xml", file=stored, sha256=stored.sha256,
        size=stored.size, nom_fic="HELIOS_SIMU_ALR2_1477486132_1155762524.xml", cod_col="400",
        id_coll="12345678912345", id_post="086016", cod_bud="01",
    )  # fmt: skip
    for event in (helios_workflow.Event.CHECK_OK, helios_workflow.Event.SEND_OK):
        helios_workflow.change_status(transaction, event, message="étape", actor=SYSTEM)
    apply_incoming_file(name="ACQUIT_PESALR2_491011698_171227_1234.xml", data=PES_ACQUIT)
    transaction.refresh_from_db()
    retour = make_retour(authority, 122, PES_RETOUR, "HELIOS_SIMU_RETOUR_1565181244_184723364.xml")
    foreign = make_retour(other, 123, PES_RETOUR.replace(b"184723364", b"999999999"), "RETOUR_VOISIN.xml")
    return transaction, retour, foreign
