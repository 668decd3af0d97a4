"""Validation against the shipped bundle: what is checked, what is not, and who may refuse a file."""

import hashlib
import zlib

import pytest
from lxml import etree

from bouquet.helios.pes import PESKind, SchemaUnavailableError, validate_schema
from bouquet.helios.pes.constants import XSD_ROOT
from bouquet.helios.pes.schema import _PARTS_ENTRY, _PARTS_XSD, _compile, _LocalResolver, _version_dir

from .conftest import FIXTURES, S2LOW, SIGNED_PASTELL
from .generate import write_pes_aller

BUNDLE = XSD_ROOT / "schemas_pes_v5.30"


def _manifest() -> dict[str, dict[str, str]]:
    header, *rows = (BUNDLE / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    names = header.split("\t")
    return {row.split("\t")[0]: dict(zip(names, row.split("\t"), strict=True)) for row in rows}


def test_manifest_lists_every_file_with_its_origin_and_the_official_record_is_checked():
    manifest = _manifest()
    on_disk = {str(p.relative_to(BUNDLE)) for p in BUNDLE.rglob("*.xsd")}
    assert set(manifest) == on_disk
    for path, row in manifest.items():
        data = (BUNDLE / path).read_bytes()
        assert (int(row["bytes"]), row["sha256"]) == (len(data), hashlib.sha256(data).hexdigest()), path
        assert row["status"] in {"official", "substitute", "rebuilt"}, path
        rebuilt = b"RECONSTRUCTED FILE - NOT AN OFFICIAL DGFiP FILE" in data[:2048]
        assert rebuilt == (row["status"] == "rebuilt"), path
        if row["verified"] == "record":  # same size and Adler-32 as the DGFiP's own ClearCase record
            record = (int(row["record_bytes"]), row["record_adler32"])
            assert (len(data), f"{zlib.adler32(data):08x}") == record, path
        if row["status"] != "rebuilt":
            assert row["source_repo"] != "-" and len(row["source_commit"]) == 40, path
    assert manifest["xades/XAdES-core-schema.xsd"]["verified"] == "record"
    assert manifest["PES_V2/Class_Signature.xsd"]["verified"] == "record"
    assert (BUNDLE.parent / "README.md").is_file()


def test_completed_parts_of_the_bundle_compile_and_pes_aller_still_lacks_depense():
    version = "schemas_pes_v5.30"
    for entry in (
        "PES_V2/Rev0/PES_V2_Acquit_Autonome_V2.xsd",
        "PES_V2/RETOUR/Rev0/PES_Retour.xsd",
        "PES_V2/Class_Signature.xsd",  # ds:Signature with the XAdES 1.1.1 core schema
    ):
        assert isinstance(_compile(version, entry), etree.XMLSchema)
    assert isinstance(_compile(version, _PARTS_ENTRY, _PARTS_XSD), etree.XMLSchema)
    with pytest.raises(SchemaUnavailableError, match="PES_DepenseAller.xsd"):
        _compile(version, "PES_V2/Rev0/PES_Aller.xsd")


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
    assert report.valid and report.checked_parts == ("Enveloppe", "EnTetePES", "PES_PJ")
    domains = {"PES_DepenseAller", "PES_RecetteAller", "PES_Marche", "PES_Facture"}
    assert domains <= set(report.unchecked_parts)
    assert "PES_PJ" not in report.unchecked_parts
    assert "PES_V2/Class_SchemasCommuns.xsd" in report.rebuilt_files
    assert report.substitute_files == ("PES_V2/Simple_Type.xsd",)


def test_pes_aller_header_errors_are_only_warnings():
    report = validate_schema(S2LOW / "pes_aller_CodColTropLong.xml", PESKind.ALLER)
    assert report.errors and not report.blocking
    header = [e for e in report.errors if e.part == "EnTetePES"]
    assert header and all(e.line == 24 for e in header)
    assert "« 1234 »" in header[0].explanation


# PES_Aller samples whose PES_PJ block does not follow the v5.30 Class_PJ.xsd (S²LOW's hand-made test
# attachments: no MIMEType, no IdUnique/NomPJ/Description); every other sample is schema-valid.
PJ_NOT_V530 = {
    "pastell/test/PHPUnit/connecteur/glaneur-local/fixtures/pes_depot_vrac/PESALR2_49101169800000_171227_2045.xml",
    "s2low/test/PHPUnit/helios/fixtures/pes_aller_CodColTropLong.xml",
    "s2low/test/PHPUnit/helios/fixtures/pes_aller_PasDeNomFic.xml",
}
HEADER_ERRORS = {
    "s2low/test/PHPUnit/helios/fixtures/pes_aller_CodColTropLong.xml",
    "s2low/test/PHPUnit/helios/fixtures/pes_aller_IdColl_trop_long.xml",
    "s2low/test/PHPUnit/helios/fixtures/pes_aller_PasDeNomFic.xml",
}
ALLER_SAMPLES = sorted(
    str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.xml") if b"PES_Aller" in p.read_bytes()[:4096]
)


@pytest.mark.parametrize("name", ALLER_SAMPLES)
def test_every_pes_aller_sample_against_the_shipped_parts(name):
    report = validate_schema(FIXTURES / name, PESKind.ALLER)
    assert not report.blocking  # no sample is refused, and none on a rebuilt or substitute schema
    parts = {e.part for e in report.errors}
    expected = ({"PES_PJ"} if name in PJ_NOT_V530 else set()) | (
        {"EnTetePES"} if name in HEADER_ERRORS else set()
    )
    assert parts - {"Enveloppe"} == expected, [(e.line, e.message) for e in report.errors]


def test_signed_sample_xades_properties_are_checked_and_valid():
    report = validate_schema(SIGNED_PASTELL, PESKind.ALLER)
    assert {"ds:Signature", "xad:QualifyingProperties"} <= set(report.checked_parts)
    assert not [e for e in report.errors if e.part == "ds:Signature"]


def test_xades_error_is_reported_with_line_and_french_message_and_refuses():
    data = SIGNED_PASTELL.read_bytes().replace(
        b"<xad:SigningTime>2017-12-27T14:21:55Z<", b"<xad:SigningTime>le 27 d\xe9cembre<", 1
    )
    report = validate_schema(data, PESKind.ALLER)
    (error,) = [e for e in report.errors if e.part == "ds:Signature"]
    assert error.line == 133 and error.severity == "error" and report.blocking
    assert error.explanation == (
        "La valeur « le 27 décembre » de « SigningTime » n'est pas une date et heure valide."
    )


def test_missing_xades_property_is_found_only_by_the_new_schema(signer, tmp_path):
    path = write_pes_aller(tmp_path / "s.xml", bordereaux=1, pieces=2, pj_bytes=770, signer=signer)
    data = path.read_bytes()
    assert validate_schema(data, PESKind.ALLER).valid
    start = data.index(b"<xad:SignaturePolicyIdentifier")
    end = data.index(b"</xad:SignaturePolicyIdentifier>") + len(b"</xad:SignaturePolicyIdentifier>")
    report = validate_schema(data[:start] + data[end:], PESKind.ALLER)
    (error,) = report.errors
    assert error.part == "ds:Signature" and error.severity == "error" and error.line
    assert error.explanation.endswith("(attendu : SignaturePolicyIdentifier).")


def test_pes_pj_error_is_a_warning_with_line_and_french_message(tmp_path):
    path = write_pes_aller(tmp_path / "pj.xml", bordereaux=1, pieces=2, pj_bytes=770)
    data = path.read_bytes().replace(b'<Description V="Facture du fournisseur"/>', b"")
    report = validate_schema(data, PESKind.ALLER)
    (error,) = report.errors
    assert (error.part, error.severity, report.blocking) == ("PES_PJ", "warning", False)
    assert error.line == data[: data.index(b"<PJ>")].count(b"\n") + 1
    assert error.explanation == "Un élément obligatoire manque dans « PJ » (attendu : Description)."


def test_truncated_base64_attachment_gives_a_short_message(tmp_path):
    path = write_pes_aller(tmp_path / "b64.xml", bordereaux=1, pieces=1, pj_bytes=77 * 2000)
    data = path.read_bytes().replace(b"</Fichier>", b"AB</Fichier>", 1)
    (error,) = validate_schema(data, PESKind.ALLER).errors
    assert error.explanation == "Le contenu de « Fichier » n'est pas un encodage base64 valide."
    assert len(error.message) < 300 and "…" in error.message


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
