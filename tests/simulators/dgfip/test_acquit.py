"""PES files sent over FTP are answered in sortie/ with a PES_ACQUIT the PES library reads and validates."""

from pathlib import Path

import pytest

from bouquet.helios.pes import PESDocument, PESKind, read_pes, validate_schema
from bouquet.simulators.dgfip import analyse

from .conftest import P_MSG, S2LOW, SIGNED, Harness, wait_until


def _acquit(dgfip: Harness, name: str) -> PESDocument:
    path = dgfip.sortie / f"ACQUIT_{name}"
    wait_until(path.exists)
    doc = read_pes(path)
    assert doc.kind is PESKind.ACQUIT
    report = validate_schema(path, PESKind.ACQUIT)
    assert report.valid, report.errors  # the official acquit schema (with our rebuilt common types)
    return doc


def test_valid_pes_gets_etat_ack_1(dgfip: Harness) -> None:
    dgfip.send((S2LOW / "pes_aller_ok.xml").read_bytes(), "PESALR2_123456789_250101_001.xml")
    doc = _acquit(dgfip, "PESALR2_123456789_250101_001.xml")
    assert doc.envelope.nom_fic == "03f432a4f6d35110bf309fb525eb61f7"  # what S²LOW matches on
    assert (doc.header.cod_col, doc.header.id_post, doc.header.cod_bud) == ("123", "034000", "12")
    [element] = doc.ack_elements
    assert (element.domain, element.ok, element.num_bord, element.exercice_bord) == (
        "5",
        True,
        "12345",
        "2009",
    )
    assert not element.errors
    [entry] = dgfip.settled()
    assert entry["verdict"] == "accepted"
    assert entry["p_msg"] == P_MSG and entry["p_dest"] == "VHPCE11" and len(entry["sha256"]) == 64


def test_signed_pes_with_attachments(dgfip: Harness) -> None:
    dgfip.send(SIGNED.read_bytes(), SIGNED.name)
    doc = _acquit(dgfip, SIGNED.name)
    assert [(e.domain, e.ok) for e in doc.ack_elements] == [("5", True), ("4", True), ("4", True)]
    assert (doc.ack_elements[0].num_bord, doc.ack_elements[0].exercice_bord) == ("1234567", "2009")


def test_tampered_bordereau_signature(dgfip: Harness) -> None:
    data = SIGNED.read_bytes().replace(b'<MtHT V="39724.75"/>', b'<MtHT V="39724.76"/>')
    dgfip.send(data, "PESALR2_tampered.xml")
    [bordereau, *attachments] = _acquit(dgfip, "PESALR2_tampered.xml").ack_elements
    assert (bordereau.domain, bordereau.ok, bordereau.num_bord) == ("3", False, "1234567")
    assert [e.code for e in bordereau.errors] == ["ERREUR_SIGNATURE_BORDEREAU_INVALIDE"]
    assert all(a.ok for a in attachments)
    assert dgfip.settled()[0]["verdict"] == "partial"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "ERREUR_FLUX_VIDE"),
        ((S2LOW / "pes_aller_empty.xml").read_bytes(), "ERREUR_FLUX_VIDE"),
        (b"<?xml version='1.0'?><not-closed", "ERREUR_SCHEMA_INCOMPLET"),
        ((S2LOW / "pes_aller_utf8.xml").read_bytes(), "ERREUR_ENCODING"),
        ((S2LOW / "pes_aller_IdColl_trop_long.xml").read_bytes(), "ERREUR_SIRET"),
    ],
)
def test_invalid_pes_gets_etat_ack_0(dgfip: Harness, data: bytes, code: str) -> None:
    dgfip.send(data, "PESALR2_bad.xml")
    [element] = _acquit(dgfip, "PESALR2_bad.xml").ack_elements
    assert (element.domain, element.ok) == ("0", False)
    assert code in [e.code for e in element.errors]
    assert all(e.label for e in element.errors)
    assert dgfip.settled()[0]["verdict"] == "rejected"


def test_schema_error_is_reported_like_helios(tmp_path: Path) -> None:
    verdict = analyse(S2LOW / "pes_aller_PasDeNomFic.xml", {"P_MSG": "PES#123#034000#12"})
    labels = [label for item in verdict.items for _, label in item.errors]
    assert any("Erreur de validation XSD en boite 1" in label and "NomFic" in label for label in labels)


@pytest.mark.parametrize(
    ("p_msg", "code"),
    [
        ("PES#400#034000#12", "ERREUR_CODE_COLLECTIVITE_BUDGET"),
        ("PES#123#034000#01", "ERREUR_CODE_COLLECTIVITE_BUDGET"),
        ("PES#123#086016#12", "ERREUR_CODIQUE"),
        (None, "ERREUR_PES_PARAM"),
    ],
)
def test_metadata_must_match_the_header(dgfip: Harness, p_msg: str | None, code: str) -> None:
    dgfip.send((S2LOW / "pes_aller_ok.xml").read_bytes(), "PESALR2_meta.xml", p_msg=p_msg)
    [element] = _acquit(dgfip, "PESALR2_meta.xml").ack_elements
    assert not element.ok
    assert [e.code for e in element.errors] == [code]


def test_same_file_twice_is_acknowledged_once(dgfip: Harness) -> None:
    data = (S2LOW / "pes_aller_ok.xml").read_bytes()
    dgfip.send(data, "PESALR2_twice.xml")
    _acquit(dgfip, "PESALR2_twice.xml")
    (dgfip.sortie / "ACQUIT_PESALR2_twice.xml").unlink()  # the TdT took it
    dgfip.send(data, "PESALR2_twice.xml")
    entries = dgfip.settled(2)
    assert [e["verdict"] for e in entries] == ["accepted", "duplicate"]
    assert list(dgfip.sortie.iterdir()) == []
    dgfip.send(data, "PESALR2_other_name.xml")  # same content, new name: a new transfer
    _acquit(dgfip, "PESALR2_other_name.xml")


def test_acquit_retour_gets_no_answer(dgfip: Harness) -> None:
    dgfip.send(
        (S2LOW / "PES_ACQUIT_RETOUR.xml").read_bytes(), "PES_ACQUIT_RETOUR.xml", p_msg="PES#007#123456#12"
    )
    assert dgfip.settled()[0]["verdict"] == "no_answer_expected"
    assert list(dgfip.sortie.iterdir()) == []
