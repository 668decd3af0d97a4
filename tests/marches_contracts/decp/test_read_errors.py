"""Bad files are refused with a clear French error; bad records are skipped and named."""

import json
from pathlib import Path

import pytest

from bouquet.marches.decp import UnreadableFileError, UnsafeXmlError, read_decp

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "decp"


def _sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_a_file_that_is_neither_json_nor_xml_is_refused():
    with pytest.raises(UnreadableFileError, match="ni du JSON ni du XML"):
        read_decp(b"%PDF-1.7 ...")


def test_json_not_in_utf8_is_refused():
    data = _sample("json/concessions.json").decode("utf-8").encode("latin-1")
    with pytest.raises(UnreadableFileError, match="n'est pas encodé en UTF-8"):
        read_decp(data)


def test_a_utf8_bom_is_accepted():
    assert len(read_decp(b"\xef\xbb\xbf" + _sample("json/concessions.json")).dataset) == 2


def test_malformed_json_says_where():
    with pytest.raises(UnreadableFileError, match=r"mal formé \(ligne 2"):
        read_decp(b'{"marches":\n {"marche": [}')


def test_json_without_the_marches_object_is_refused():
    with pytest.raises(UnreadableFileError, match="l'objet « marches » manque"):
        read_decp(b'{"marche": []}')


def test_xml_with_entities_is_refused_before_parsing():
    bomb = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><marches>&a;</marches>'
    with pytest.raises(UnsafeXmlError, match="DOCTYPE et ENTITY sont interdites"):
        read_decp(bomb)


def test_xml_in_utf16_with_a_doctype_is_refused_too():
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE m SYSTEM "file:///etc/passwd"><marches/>'
    with pytest.raises(UnsafeXmlError):
        read_decp(data.encode("utf-16"))


def test_too_large_and_too_deep_files_are_refused():
    with pytest.raises(UnsafeXmlError, match="le maximum accepté"):
        read_decp(_sample("xml/Marche.xml"), max_size=1000)
    with pytest.raises(UnreadableFileError, match="le maximum accepté"):
        read_decp(_sample("json/concessions.json"), max_size=1000)
    with pytest.raises(UnsafeXmlError, match="niveaux d'imbrication"):
        read_decp(b"<marches>" + b"<a>" * 40 + b"</a>" * 40 + b"</marches>")


def test_an_xml_file_with_another_root_is_refused():
    with pytest.raises(UnreadableFileError, match="<marches> est attendu"):
        read_decp(b"<PES_Aller/>")


def test_malformed_xml_is_refused():
    with pytest.raises(UnreadableFileError, match="mal formé"):
        read_decp(b"<marches><marche></marches>")


def test_a_record_without_a_required_field_is_skipped_and_named():
    document = json.loads(_sample("json/marches_avec_modifications.json"))
    del document["marches"]["marche"][1]["dureeMois"]
    result = read_decp(json.dumps(document).encode())
    assert [m.id for m in result.dataset.marches] == ["TEST2022"]
    (skipped,) = result.skipped
    assert skipped.where == "marché n° 2 › dureeMois"
    assert "ce champ obligatoire est absent" in skipped.message
    assert not result.schema_valid
    assert "dureeMois" in result.schema_findings[0].message


def test_an_unreadable_value_is_named():
    data = _sample("xml/Marche.xml").replace(
        b"<dureeMois>48</dureeMois>", b"<dureeMois>quatre</dureeMois>", 1
    )
    result = read_decp(data)
    assert len(result.dataset.marches) == 1
    assert "« quatre » n'est pas un nombre entier" in result.skipped[0].message
