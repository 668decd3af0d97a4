"""Validation against the shipped bundle: what is checked, what is not, and who may refuse a file."""

import pytest
from lxml import etree

from bouquet.helios.pes import PESKind, SchemaUnavailableError, validate_schema
from bouquet.helios.pes.schema import _compile, _LocalResolver, _version_dir

from .conftest import S2LOW, SIGNED_PASTELL


def test_valid_acquit_is_checked_whole():
    report = validate_schema(S2LOW / "pes_acquit.xml", PESKind.ACQUIT)
    assert report.valid and report.checked_parts == ("PES_ACQUIT",) and report.unchecked_parts == ()
    assert report.rebuilt_files == ("PES_V2/Class_SchemasCommuns.xsd",)


def test_invalid_acquit_has_line_and_french_explanation_but_is_not_blocking():
    report = validate_schema(S2LOW / "pes_acquit_wrongXsd_Not_Linked_To_Transaction.xml", PESKind.ACQUIT)
    assert not report.valid and not report.blocking
    first, second = report.errors
    assert (first.line, first.severity) == (4, "warning")
    assert first.explanation == "Un élément obligatoire manque dans « Parametres » (attendu : NomFic)."
    assert second.line == 34 and "ElementQUINEXISTEPAS" in second.explanation


def test_retours_are_checked_whole():
    for name in ("pes_retour.xml", "pes_retour_nonabonne.xml"):
        report = validate_schema(S2LOW / name, PESKind.RETOUR)
        assert report.valid and report.checked_parts == ("PES_Retour",)


def test_pes_aller_parts_and_unchecked_parts_are_stated():
    report = validate_schema(S2LOW / "pes_aller.xml", PESKind.ALLER)
    assert report.valid and report.checked_parts == ("Enveloppe", "EnTetePES")
    assert {"PES_DepenseAller", "PES_PJ", "PES_RecetteAller", "PES_Marche"} <= set(report.unchecked_parts)


def test_pes_aller_header_errors_are_only_warnings():
    report = validate_schema(S2LOW / "pes_aller_CodColTropLong.xml", PESKind.ALLER)
    assert report.errors and not report.blocking
    assert all(e.part == "EnTetePES" and e.line == 24 for e in report.errors)
    assert "« 1234 »" in report.errors[0].explanation


def test_signature_is_checked_against_the_w3c_schema_and_may_block():
    assert "ds:Signature" in validate_schema(SIGNED_PASTELL, PESKind.ALLER).checked_parts
    data = SIGNED_PASTELL.read_bytes().replace(b"<ds:SignedInfo>", b"<ds:SignedInfo><ds:Intrus/>", 1)
    report = validate_schema(data, PESKind.ALLER)
    assert report.blocking and report.errors[0].part == "ds:Signature"


def test_acquit_retour_has_no_schema():
    report = validate_schema(S2LOW / "PES_ACQUIT_RETOUR.xml", PESKind.ACQUIT_RETOUR)
    assert report.checked_parts == () and report.unchecked_parts and report.valid


def test_unknown_version_and_path_escape():
    with pytest.raises(SchemaUnavailableError):
        validate_schema(S2LOW / "pes_acquit.xml", PESKind.ACQUIT, version="schemas_pes_v9.99")
    with pytest.raises(SchemaUnavailableError):
        _version_dir("../../..")


def test_compiled_once():
    entry = "PES_V2/Rev0/PES_V2_Acquit_Autonome_V2.xsd"
    assert _compile("schemas_pes_v5.30", entry) is _compile("schemas_pes_v5.30", entry)


def test_resolver_never_leaves_the_bundle():
    root = _version_dir("schemas_pes_v5.30")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalResolver(root))
    xsd = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="urn:x" schemaLocation="http://example.invalid/x.xsd"/></xs:schema>"""
    with pytest.raises(etree.XMLSchemaParseError):
        etree.XMLSchema(etree.fromstring(xsd, parser, base_url=(root / "a.xsd").as_uri()))
