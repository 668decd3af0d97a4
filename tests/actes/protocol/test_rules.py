"""Business rules: each broken rule gives a finding with a stable code and a French message."""

import datetime as dt

import pytest

from bouquet.actes.protocol import ActFile, FindingCode, parse_message, sniff_mime, validate_act
from bouquet.actes.protocol.constants import MIME_JPEG, MIME_PDF, MIME_PNG, MIME_XML
from bouquet.actes.protocol.rules import (
    check_archive_size,
    check_classification,
    check_numero_interne,
    check_typologies,
)

from .helpers import ACT_PDF, ANNEX_PDF, CLASSIFICATION, JPEG, PNG, make_acte

TODAY = dt.date(2025, 1, 15)
PDF = ACT_PDF.read_bytes()
XML = b'<?xml version="1.0" encoding="UTF-8"?><budget/>'


@pytest.fixture(scope="module")
def classification():
    return parse_message(CLASSIFICATION.read_bytes()).message


def _codes(findings):
    return [f.code for f in findings]


def _valid_files():
    return ActFile(PDF, "99_DE"), [ActFile(ANNEX_PDF.read_bytes(), "99_SE"), ActFile(PNG, "99_SE")]


def test_a_good_act_has_no_finding(classification):
    document, annexes = _valid_files()
    findings = validate_act(
        make_acte(),
        document=document,
        annexes=annexes,
        classification=classification,
        existing_numbers={"2024_001"},
        today=TODAY,
        archive_size=300_000,
    )
    assert findings == []


@pytest.mark.parametrize("numero", ["", "_A1", "A1_", "a1", "A-1", "A" * 16, "A 1"])
def test_it_checks_the_numero_interne_format(numero):
    findings = check_numero_interne(numero)
    assert _codes(findings) == [FindingCode.NUMERO_INTERNE_FORMAT]
    assert "Numéro interne" in findings[0].message


@pytest.mark.parametrize("numero", ["1", "A" * 15, "2024_DEL_001", "CL20171227_06"])
def test_it_accepts_good_numbers(numero):
    assert check_numero_interne(numero) == []


def test_it_checks_uniqueness_with_a_set_or_a_predicate():
    assert _codes(check_numero_interne("D1", {"D1", "D2"})) == [FindingCode.NUMERO_INTERNE_DOUBLON]
    assert _codes(check_numero_interne("D1", lambda n: n == "D1")) == [FindingCode.NUMERO_INTERNE_DOUBLON]
    assert check_numero_interne("D3", {"D1", "D2"}) == []


def _act_codes(acte, **kwargs):
    document, annexes = _valid_files()
    options = {"document": document, "annexes": annexes, "today": TODAY, **kwargs}
    return _codes(validate_act(acte, **options))


def test_it_checks_the_subject_length():
    assert _act_codes(make_acte(objet="é" * 500)) == []
    assert _act_codes(make_acte(objet="é" * 501)) == [FindingCode.OBJET_TROP_LONG]
    assert _act_codes(make_acte(objet="  ")) == [FindingCode.OBJET_VIDE]


def test_it_refuses_a_decision_in_the_future():
    assert _act_codes(make_acte(date=TODAY + dt.timedelta(days=1))) == [FindingCode.DATE_FUTURE]
    assert _act_codes(make_acte(date=TODAY)) == []


def test_it_requires_classification_levels_1_and_2(classification):
    assert _codes(check_classification(make_acte(codes_matiere=(3,)))) == [FindingCode.CLASSIFICATION_NIVEAUX]
    assert _codes(check_classification(make_acte(codes_matiere=(3, 99)), classification)) == [
        FindingCode.CLASSIFICATION_INCONNUE
    ]
    assert _codes(check_classification(make_acte(code_nature_acte=9))) == [FindingCode.NATURE_INCONNUE]


def test_it_requires_a_pdf_main_document():
    document, annexes = _valid_files()
    findings = validate_act(make_acte(), document=ActFile(PNG, "99_DE"), annexes=annexes, today=TODAY)
    assert _codes(findings) == [FindingCode.DOCUMENT_FORMAT]
    # The extension does not matter: content is sniffed.
    assert validate_act(make_acte(), document=document, annexes=annexes, today=TODAY) == []


def test_xml_act_only_for_budget_documents_with_pdf_annexes():
    acte = make_acte(annexes=1)
    annex = [ActFile(PDF, "99_SE")]
    findings = validate_act(acte, document=ActFile(XML, "99_DE"), annexes=annex, today=TODAY)
    assert _codes(findings) == [FindingCode.DOCUMENT_XML_INTERDIT]
    budget = make_acte(annexes=1, code_nature_acte=5, codes_matiere=(7, 1))
    assert validate_act(budget, document=ActFile(XML, "99_BU"), annexes=annex, today=TODAY) == []
    png_annex = [ActFile(PNG, "99_SE")]
    findings = validate_act(budget, document=ActFile(XML, "99_BU"), annexes=png_annex, today=TODAY)
    assert _codes(findings) == [FindingCode.ANNEXE_PDF_REQUIS]


def test_annexes_must_be_pdf_xml_jpeg_or_png():
    acte = make_acte(annexes=4)
    annexes = [ActFile(c, "99_SE") for c in (PDF, XML, JPEG, b"PK\x03\x04zip")]
    findings = validate_act(acte, document=ActFile(PDF, "99_DE"), annexes=annexes, today=TODAY)
    assert _codes(findings) == [FindingCode.ANNEXE_FORMAT]
    assert "n° 4" in findings[0].message


def test_the_annex_count_must_match_the_message():
    findings = validate_act(make_acte(annexes=2), document=ActFile(PDF, "99_DE"), today=TODAY)
    assert _codes(findings) == [FindingCode.ANNEXES_NOMBRE]


def test_it_checks_typologies_against_the_classification(classification):
    assert check_typologies(1, ["99_DE", "99_SE"], classification) == []
    findings = check_typologies(1, ["99_AI", None, "bad"], classification)
    assert _codes(findings) == [
        FindingCode.TYPOLOGIE_NON_AUTORISEE,
        FindingCode.TYPOLOGIE_MANQUANTE,
        FindingCode.TYPOLOGIE_FORMAT,
    ]
    assert "document principal" in findings[0].message and "annexe n° 1" in findings[1].message
    # Without a classification only the format is checked.
    assert check_typologies(1, ["99_AI"]) == []


def test_it_bounds_the_archive_size():
    assert check_archive_size(150 * 1024 * 1024) == []
    findings = check_archive_size(150 * 1024 * 1024 + 1)
    assert _codes(findings) == [FindingCode.ARCHIVE_TROP_VOLUMINEUSE]
    assert "150 Mio" in findings[0].message


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"%PDF-1.7\n", MIME_PDF),
        (PNG, MIME_PNG),
        (JPEG, MIME_JPEG),
        (XML, MIME_XML),
        (b"\xef\xbb\xbf\n <root/>", MIME_XML),
        (b"PK\x03\x04", None),
        (b"hello", None),
        (b"", None),
    ],
)
def test_it_sniffs_content_types(data, mime):
    assert sniff_mime(data) == mime
