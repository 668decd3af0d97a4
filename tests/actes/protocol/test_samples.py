"""Every real sample (S2LOW, Pastell) parses into the right message with the right fields."""

import datetime as dt

import pytest

from bouquet.actes.protocol import parse_message, sniff_mime
from bouquet.actes.protocol.constants import MIME_PDF

from .helpers import ACT_PDF, ANNEX_PDF, FIXTURES

D = dt.date
MI_ID = "034-000000000-20170701-20170721D-AI"
CS_ID = "034-000000000-20170701-20170725A-AI"
SEDA_ID = "034-491011698-20171207-CL20171227_06-DE"
TEST42_ID = "032-213201601-20170616-ARP201706407-AI"


def _get(obj: object, path: str) -> object:
    """Dotted attribute path; a trailing ``#`` gives the length; ``[n]`` indexes a tuple."""
    count = path.endswith("#")
    for part in path.rstrip("#").split("."):
        name, _, index = part.partition("[")
        obj = getattr(obj, name)
        if index:
            obj = obj[int(index.rstrip("]"))]  # type: ignore[index]
    return len(obj) if count else obj  # type: ignore[arg-type]


def _acte_recu(numero: str, nature: int, codes: tuple[int, ...], objet: str, papier: bool | None) -> dict:
    return {
        "acte_recu.numero_interne": numero,
        "acte_recu.code_nature_acte": nature,
        "acte_recu.codes_matiere": codes,
        "acte_recu.objet": objet,
        "acte_recu.document_papier": papier,
    }


def _envelope_mi(formulaire: str) -> dict:
    return {
        "emetteur": "IDSousPref",
        "departement": "001",
        "arrondissement": "1",
        "destinataire_siren": "000000000",
        "formulaires#": 1,
        "formulaires[0].nom_fichier": formulaire,
    }


SAMPLES = [
    (
        "pastell/connecteur/fakeTdt/fixtures/ar-actes.xml",
        "1-2",
        False,
        {
            "id_acte": "069-123456789-20130601-20130623C-AI",
            "date_reception": D(2013, 6, 23),
            "classification_date_version_en_cours": D(2008, 12, 31),
            **_acte_recu("20130623C", 3, (3, 1), "TESTC", None),
        },
    ),
    (
        "pastell/connecteur/fakeTdt/fixtures/classification.xml",
        "7-2",
        False,
        {"date_classification": D(2004, 4, 1), "natures#": 6, "matieres#": 9, "natures[0].types_pj#": 0},
    ),
    (
        "pastell/test/PHPUnit/connecteur/s2low/fixtures/999-1234----7-2_1.xml",
        "7-2",
        True,
        {
            "date_classification": D(2019, 4, 18),
            "natures#": 6,
            "matieres#": 9,
            "natures[0].type_abrege": "AU",
        },
    ),
    (
        "pastell/test/PHPUnit/connecteur/s2low/fixtures/999-1234----7-2_7.xml",
        "7-2",
        True,
        {"date_classification": D(2018, 11, 28), "natures#": 6, "matieres#": 9, "natures[0].types_pj#": 2},
    ),
    (
        "pastell/test/PHPUnit/connecteur/s2low/fixtures/classification-exemple.xml",
        "7-2",
        True,
        {"date_classification": D(2019, 3, 1), "natures#": 6, "matieres#": 9, "natures[1].code": 2},
    ),
    (
        "pastell/test/PHPUnit/module/actes-generique/fixtures/aractes.xml",
        "1-2",
        True,
        {
            "id_acte": SEDA_ID,
            "date_reception": D(2017, 12, 27),
            "classification_date_version_en_cours": D(2017, 11, 13),
            **_acte_recu("CL20171227_06", 1, (3, 2), "Fichier signé parapheur", False),
        },
    ),
    (
        "pastell/test/PHPUnit/module/actes-generique/fixtures/classification.xml",
        "7-2",
        True,
        {"date_classification": D(2017, 11, 13), "natures#": 6, "natures[0].code": 5, "matieres#": 9},
    ),
    (
        "pastell/test/PHPUnit/module/actes-preversement-seda/fixtures/034-491011698-20171207-CL20171227_06-DE-1-1_0.xml",
        "1-1",
        True,
        {
            "date": D(2017, 12, 7),
            "numero_interne": "CL20171227_06",
            "code_nature_acte": 1,
            "codes_matiere": (3, 2),
            "objet": "Fichier signé parapheur",
            "classification_date_version": D(2017, 11, 13),
            "document.nom_fichier": "32_DP-034-491011698-20171207-CL20171227_06-DE-1-1_1.pdf",
            "annexes#": 0,
            "document_papier": False,
        },
    ),
    (
        "pastell/test/PHPUnit/module/actes-preversement-seda/fixtures/034-491011698-20171207-CL20171227_06-DE-1-2.xml",
        "1-2",
        True,
        {"id_acte": SEDA_ID, "date_reception": D(2017, 12, 27), "acte_recu.date": D(2017, 12, 7)},
    ),
    (
        "s2low/classification.xml",
        "7-2",
        False,
        {"date_classification": D(2004, 4, 1), "natures#": 6, "natures[5].type_abrege": "AU", "matieres#": 9},
    ),
    (
        "s2low/ok/045-214502494-20170717-D201717-DE-1-1_0.xml",
        "1-1",
        False,
        {
            "date": D(2017, 7, 17),
            "numero_interne": "D201717",
            "code_nature_acte": 4,
            "codes_matiere": (1, 1),
            "objet": "test",
            "classification_date_version": D(2017, 4, 19),
            "document.nom_fichier": "045-214502494-20170717-D201717-DE-1-1_1.pdf",
            "document_papier": None,
        },
    ),
    (
        "s2low/ok/EACT--214502494--20170717-6.xml",
        "EnveloppeCLMISILL",
        True,
        {
            "idcl.siren": "214502494",
            "idcl.departement": "045",
            "idcl.arrondissement": "1",
            "idcl.nature": "31",
            "referent.nom": "ETest",
            "referent.telephone": "",
            "adresses_retour": ("totoo@toto.org",),
            "formulaires[0].nom_fichier": "045-214502494-20170717-D201717-DE-1-1_0.xml",
        },
    ),
    (
        "s2low/public.ssl-actes-fixtures/001-000000000-20170130-TEST42-DE-3-3_0.xml",
        "3-3",
        True,
        {
            "id_acte": TEST42_ID,
            "date_courrier_pref": D(2017, 6, 17),
            "document.nom_fichier": "001-000000000-20170130-TEST42-DE-3-3_1.pdf",
        },
    ),
    (
        "s2low/public.ssl-actes-fixtures/001-000000000-20170130-TEST42-DE-3-4_0.xml",
        "3-4",
        True,
        {
            "id_acte": TEST42_ID,
            "date_courrier_pref": D(2017, 6, 17),
            "documents#": 2,
            "documents[1].nom_fichier": "001-000000000-20170130-TEST42-DE-3-4_2.pdf",
        },
    ),
    (
        "s2low/test-anomalie/ANO_EACT--210703385--20170612-2.xml",
        "AnomalieEnveloppe",
        True,
        {
            "date": D(2017, 6, 12),
            "nature": "5",
            "enveloppe_recue.idcl.siren": "210703385",
            "enveloppe_recue.idcl.departement": "007",
            "enveloppe_recue.referent.nom": "Robert Petitpoid",
            "enveloppe_recue.formulaires[0].nom_fichier": "007-210703385-20170519-2017_048-DE-1-1_0.xml",
        },
    ),
    (
        "s2low/test-archive-MISILCL/034-000000000-20170701-20170721D-AI-1-2_0.xml",
        "1-2",
        False,
        {
            "id_acte": MI_ID,
            "date_reception": D(2017, 7, 21),
            **_acte_recu("20170721D", 3, (2, 2), "TESTD", None),
        },
    ),
    (
        "s2low/test-archive-MISILCL/TACT--SPREF0011-000000000-20170721-4.xml",
        "EnveloppeMISILLCL",
        True,
        _envelope_mi("034-000000000-20170701-20170721D-AI-1-2_0.xml"),
    ),
    (
        "s2low/test-courrier-simple-renumerote/034-000000000-20170701-20170725A-AI-2-1_17.xml",
        "2-1",
        True,
        {
            "id_acte": CS_ID,
            "date_courrier_pref": D(2017, 7, 25),
            "document.nom_fichier": "034-000000000-20170701-20170725A-AI-2-1_16.pdf",
        },
    ),
    (
        "s2low/test-courrier-simple-renumerote/TACT--SPREF0011-000000000-20170725-1.xml",
        "EnveloppeMISILLCL",
        True,
        _envelope_mi("034-000000000-20170701-20170725A-AI-2-1_17.xml"),
    ),
    (
        "s2low/test-courrier-simple/034-000000000-20170701-20170725A-AI-2-1_0.xml",
        "2-1",
        True,
        {"id_acte": CS_ID, "document.nom_fichier": "034-000000000-20170701-20170725A-AI-2-1_1.pdf"},
    ),
    (
        "s2low/test-courrier-simple/TACT--SPREF0011-000000000-20170725-1.xml",
        "EnveloppeMISILLCL",
        True,
        _envelope_mi("034-000000000-20170701-20170725A-AI-2-1_0.xml"),
    ),
    (
        "s2low/test-defere-ta/034-000000000-20170701-20170725A-AI-5-1_0.xml",
        "5-1",
        True,
        {
            "id_acte": CS_ID,
            "date_depot": D(2017, 7, 1),
            "nature_illegalite": "NATURE_TEST",
            "pieces_jointes#": 1,
            "pieces_jointes[0].nom_fichier": "034-000000000-20170701-20170725A-AI-5-1_1.pdf",
        },
    ),
    (
        "s2low/test-defere-ta/TACT--SPREF0011-000000000-20170725-4.xml",
        "EnveloppeMISILLCL",
        True,
        _envelope_mi("034-000000000-20170701-20170725A-AI-5-1_0.xml"),
    ),
    (
        "s2low/test-message-anomalie-avec-erreur-mal-presentee/034-000000000-20170701-20170721D-AI-1-3_0.xml",
        "1-3",
        False,
        {"date": D(2017, 7, 1), "nature": "ERREUR2", "detail": "Ca ne fonctionne pas"},
    ),
    (
        "s2low/test-message-anomalie-avec-erreur/034-000000000-20170701-20170721D-AI-1-3_0.xml",
        "1-3",
        False,
        {"nature": "2", "acte_recu.numero_interne": "20170721D"},
    ),
    (
        "s2low/test-message-anomalie-avec-erreur/TACT--SPREF0011-000000000-20170721-4.xml",
        "EnveloppeMISILLCL",
        True,
        _envelope_mi("034-000000000-20170701-20170721D-AI-1-3_0.xml"),
    ),
    (
        "s2low/test-message-anomalie/034-000000000-20170701-20170721D-AI-1-3_0.xml",
        "1-3",
        False,
        {
            "date": D(2017, 7, 1),
            "nature": "042",
            "detail": "Ca ne fonctionne pas",
            "classification_date_version_en_cours": D(2008, 12, 31),
            **_acte_recu("20170721D", 3, (2, 2), "TESTD", None),
        },
    ),
]


@pytest.mark.parametrize(
    ("path", "code", "valid", "fields"),
    SAMPLES,
    ids=[s[0].rsplit("/", 2)[-2] + "/" + s[0].rsplit("/", 1)[-1] for s in SAMPLES],
)
def test_it_parses_each_real_sample(path, code, valid, fields):
    parsed = parse_message((FIXTURES / path).read_bytes())
    assert parsed.code == code
    assert parsed.schema_valid is valid, parsed.schema_errors
    for field, expected in fields.items():
        assert _get(parsed.message, field) == expected, field


def test_it_reports_why_old_samples_fail_todays_schema():
    ar = parse_message((FIXTURES / SAMPLES[15][0]).read_bytes())
    assert len(ar.schema_errors) == 1 and "DocumentPapier" in ar.schema_errors[0]
    old_classification = parse_message((FIXTURES / "s2low/classification.xml").read_bytes())
    assert all("TypePJNatureActe" in error for error in old_classification.schema_errors)
    bad_nature = parse_message((FIXTURES / SAMPLES[24][0]).read_bytes())
    assert any("'2'" in error for error in bad_nature.schema_errors)


def test_it_reads_the_classification_tree():
    parsed = parse_message((FIXTURES / SAMPLES[4][0]).read_bytes()).message
    assert parsed.nature(1).type_abrege == "DE"
    assert "99_DE" in parsed.typologies_for(1)
    assert parsed.find_matiere((1, 1)).libelle == "Marchés publics"
    assert parsed.find_matiere((99, 1)) is None


@pytest.mark.parametrize("pdf", [ACT_PDF, ANNEX_PDF], ids=["act-pdf", "delib-adullact"])
def test_it_sniffs_the_real_pdfs(pdf):
    assert sniff_mime(pdf.read_bytes()) == MIME_PDF


def test_every_fixture_file_is_covered():
    files = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*") if p.is_file()}
    assert len(files) == 29
    covered = {s[0] for s in SAMPLES} | {
        str(ACT_PDF.relative_to(FIXTURES)),
        str(ANNEX_PDF.relative_to(FIXTURES)),
    }
    assert files == covered
