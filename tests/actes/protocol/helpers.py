"""Shared builders for the @ctes protocol tests (fixtures are read from tests/fixtures/actes only)."""

import datetime as dt
from pathlib import Path

from bouquet.actes.protocol.messages import IDCL, Acte, EnveloppeCLMISILL, Referent, SignedFile
from bouquet.actes.protocol.names import EnvelopeName, MessageName

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "actes"
PASTELL = FIXTURES / "pastell"
S2LOW = FIXTURES / "s2low"
#: The real act PDF of the Pastell SEDA fixture (219,758 bytes).
ACT_PDF = (
    PASTELL
    / "test/PHPUnit/module/actes-preversement-seda/fixtures/034-491011698-20171207-CL20171227_06-DE-1-1_1.pdf"
)
#: A second real PDF (Pastell "Delib Adullact.pdf"), used as an annex.
ANNEX_PDF = PASTELL / "test/PHPUnit/module/actes-generique/fixtures/Delib Adullact.pdf"
CLASSIFICATION = PASTELL / "test/PHPUnit/connecteur/s2low/fixtures/classification-exemple.xml"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32

SIREN = "491011698"
DEPT = "034"
DECISION = dt.date(2024, 12, 9)
NUMERO = "20241209_MR02"
ID_ACTE = f"{DEPT}-{SIREN}-20241209-{NUMERO}-DE"


def message_name(code: str = "1-1") -> MessageName:
    return MessageName(DEPT, SIREN, DECISION, NUMERO, "DE", code)


def make_acte(annexes: int = 2, **changes: object) -> Acte:
    name = message_name()
    values: dict[str, object] = {
        "date": DECISION,
        "numero_interne": NUMERO,
        "code_nature_acte": 1,
        "codes_matiere": (3, 2),
        "objet": "Délibération relative à la cession d'une parcelle communale",
        "classification_date_version": dt.date(2019, 3, 1),
        "document": SignedFile(str(name.document(1, "pdf", "99_DE"))),
        "annexes": tuple(SignedFile(str(name.document(n, "pdf", "99_SE"))) for n in range(2, annexes + 2)),
        "document_papier": False,
    }
    values.update(changes)
    return Acte(**values)  # type: ignore[arg-type]


def make_envelope(*formulaires: str) -> EnveloppeCLMISILL:
    return EnveloppeCLMISILL(
        idcl=IDCL(siren=SIREN, departement=DEPT, arrondissement="3", nature="31"),
        referent=Referent(nom="Agnès Dupré", telephone="0467000000", email="agnes.dupre@mairie.example.fr"),
        adresses_retour=("actes@tdt.bouquet.example.fr", "agnes.dupre@mairie.example.fr"),
        formulaires=tuple(SignedFile(name) for name in formulaires),
    )


def envelope_name(serial: int = 1) -> EnvelopeName:
    return EnvelopeName(siren=SIREN, date=dt.date(2024, 12, 10), serial=serial)
