"""Every sample file of tests/fixtures/pes is read with the right kind and concrete values."""

from decimal import Decimal

import pytest

from bouquet.helios.pes import PESKind, PESRootError, check_incoming, check_outgoing, read_pes

from .conftest import FIXTURES

GLANEUR = "pastell/test/PHPUnit/connecteur/glaneur-local/fixtures"
HS = "s2low/test/PHPUnit/helios/fixtures"
ALLER, ACQUIT, RETOUR, ACK_RETOUR = PESKind.ALLER, PESKind.ACQUIT, PESKind.RETOUR, PESKind.ACQUIT_RETOUR

# path -> (kind, NomFic, IdPost, IdColl, CodCol, CodBud, bordereaux, attachments, outgoing error codes)
SAMPLES = {
    "pastell/connecteur/creation-document/fixtures/pes.xml": (
        ALLER,
        "ce58141202114f15f435cd6596c5e88a",
        "034000",
        "12345678912345",
        "123",
        "12",
        1,
        0,
        (),
    ),
    "pastell/connecteur/fakeTdt/fixtures/pes_acquit.xml": (
        ACQUIT,
        "HELIOS_SIMU_ALR2_1477486132_1155762524.xml",
        "086016",
        "20004910400025",
        "400",
        "01",
        0,
        0,
        (),
    ),
    "pastell/connecteur/iParapheur/data-exemple/PES_ex.xml": (
        ALLER,
        "SICOVAL201512104",
        "031007",
        "24310063300011",
        "100",
        "00",
        1,
        0,
        (),
    ),
    "pastell/documentation/data-exemple/PES_ex.xml": (
        ALLER,
        "SICOVAL201512104",
        "031007",
        "24310063300011",
        "100",
        "00",
        1,
        0,
        (),
    ),
    f"{GLANEUR}/HELIOS_SIMU_ALR2_1514362287_770650402.xml": (
        ALLER,
        "HELIOS_SIMU_ALR2_1514362287_770650402.xml",
        "034000",
        "12345678912345",
        "123",
        "12",
        1,
        1,
        (),
    ),
    f"{GLANEUR}/pes_depot_vrac/ACQUIT_PESALR2_49101169800000_171227_2045.xml": (
        ACQUIT,
        "HELIOS_SIMU_ALR2_1514384631_264491346.xml",
        "034000",
        "20004910400025",
        "123",
        "12",
        0,
        0,
        (),
    ),
    f"{GLANEUR}/pes_depot_vrac/PESALR2_49101169800000_171227_2045.xml": (
        ALLER,
        "HELIOS_SIMU_ALR2_1514384443_86804893.xml",
        "034000",
        "12345678912345",
        "123",
        "12",
        1,
        2,
        (),
    ),
    "pastell/test/PHPUnit/connecteur/libersign/fixtures/HELIOS_SIMU_ALR2_1529593767_1834011863.xml": (
        ALLER,
        "HELIOS_SIMU_ALR2_1529593767_1834011863.xml",
        "034000",
        "12345678912345",
        "123",
        "12",
        1,
        1,
        (),
    ),
    "pastell/test/PHPUnit/connecteur/s2low/fixtures/HELIOS_SIMU_RETOUR_1565181244_184723364.xml": (
        RETOUR,
        "HELIOS_SIMU_RETOUR_1565181244_184723364.xml",
        "082008",
        "12345678900012",
        "221",
        "00",
        0,
        0,
        (),
    ),
    "pastell/test/PHPUnit/module/helios-generique/fixtures/HELIOS_SIMU_ALR2_1496987735_826268894.xml": (
        ALLER,
        "HELIOS_SIMU_ALR2_1496987735_826268894.xml",
        "034000",
        "12345678912345",
        "123",
        "12",
        1,
        0,
        (),
    ),
    "pastell/test/PHPUnit/module/helios-generique/fixtures/HELIOS_SIMU_ALR2_LibelleColBud_avec_accent.xml": (
        ALLER,
        "HELIOS_SIMU_ALR2_1496987735_826268894.xml",
        "034000",
        "12345678912345",
        "123",
        "12",
        1,
        0,
        (),
    ),
    f"{HS}/PES_ACQUIT_RETOUR.xml": (
        ACK_RETOUR,
        "PES2R_DEP_P_000_00_000000_00000000_2025010107_20250101010000.xml",
        "123456",
        "49101169800033",
        "007",
        "12",
        0,
        0,
        (),
    ),
    f"{HS}/pes_acquit.xml": (
        ACQUIT,
        "pescg291201703030412001",
        "086016",
        "20004910400025",
        "400",
        "01",
        0,
        0,
        (),
    ),
    f"{HS}/pes_acquit_modif.xml": (
        ACQUIT,
        "03f432a4f6d35110bf309fb525eb61f7",
        "034000",
        "12345678912345",
        "400",
        "01",
        0,
        0,
        (),
    ),
    f"{HS}/pes_acquit_not_valid.xml": (
        ACQUIT,
        "pescg291201703030412001",
        "086016",
        "12345",
        "400",
        "01",
        0,
        0,
        (),
    ),
    f"{HS}/pes_acquit_not_valid_without_cod_col.xml": (
        ACQUIT,
        "pescg291201703030412001",
        "086016",
        "12345",
        None,
        "01",
        0,
        0,
        (),
    ),
    f"{HS}/pes_acquit_wrongXsd_Not_Linked_To_Transaction.xml": (
        ACQUIT,
        None,
        "086016",
        "20004910400025",
        "400",
        "01",
        0,
        0,
        (),
    ),
    f"{HS}/pes_aller.xml": (
        ALLER,
        "03f432a4f6d35110bf309fb525eb61f7",
        "034000",
        "12345678912345",
        "400",
        "01",
        1,
        0,
        (),
    ),
    f"{HS}/pes_aller_CodColTropLong.xml": (
        ALLER,
        "HELIOS_SIMU_ALR2_1675870922_582996740.xml",
        "034000",
        "12345678912345",
        "1234",
        "12",
        1,
        2,
        ("codcol_too_long",),
    ),
    f"{HS}/pes_aller_IdColl_trop_long.xml": (
        ALLER,
        "03f432a4f6d35110bf309fb525eb61f7",
        "034000",
        "123456789123456",
        "400",
        "01",
        1,
        0,
        ("idcoll_too_long",),
    ),
    f"{HS}/pes_aller_PasDeNomFic.xml": (
        ALLER,
        None,
        "034000",
        "12345678912345",
        "1234",
        "12",
        1,
        2,
        ("nomfic_missing", "codcol_too_long"),
    ),
    f"{HS}/pes_aller_empty.xml": (
        ALLER,
        "03f432a4f6d35110bf309fb525eb61f7",
        "034000",
        "12345678912345",
        "123",
        "12",
        0,
        0,
        ("empty",),
    ),
    f"{HS}/pes_aller_ok.xml": (
        ALLER,
        "03f432a4f6d35110bf309fb525eb61f7",
        "034000",
        "12345678912345",
        "123",
        "12",
        1,
        0,
        (),
    ),
    f"{HS}/pes_aller_utf8.xml": (
        ALLER,
        "03f432a4f6d35110bf309fb525eb61f7",
        "034000",
        "12345678912345",
        "123",
        "12",
        1,
        0,
        ("encoding_not_iso_8859_1",),
    ),
    f"{HS}/pes_retour.xml": (
        RETOUR,
        "HELIOS_SIMU_RETOUR_1441716142_2099520055.xml",
        "082008",
        "12345678900035",
        "221",
        "00",
        0,
        0,
        (),
    ),
    f"{HS}/pes_retour_nonabonne.xml": (
        RETOUR,
        "HELIOS_SIMU_RETOUR_1441716142_2099520055.xml",
        "082008",
        "66920145100015",
        "221",
        "00",
        0,
        0,
        (),
    ),
}
NOT_PES = {
    "pastell/connecteur/libersign/fixtures/pes.xml": "Bordereau",
    f"{HS}/wrong_root.xml": "wrong_root",
}


def test_every_sample_is_covered():
    on_disk = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.xml")}
    assert on_disk == set(SAMPLES) | set(NOT_PES)
    assert len(on_disk) == 28


@pytest.mark.parametrize("relative", sorted(SAMPLES))
def test_sample_is_read(relative):
    kind, nomfic, idpost, idcoll, codcol, codbud, bordereaux, attachments, errors = SAMPLES[relative]
    doc = read_pes(FIXTURES / relative)
    assert doc.kind is kind
    assert (doc.envelope.nom_fic, doc.header.id_post, doc.header.id_coll) == (nomfic, idpost, idcoll)
    assert (doc.header.cod_col, doc.header.cod_bud) == (codcol, codbud)
    assert (len(doc.bordereaux), len(doc.attachments)) == (bordereaux, attachments)
    assert doc.sha256 == __import__("hashlib").sha256((FIXTURES / relative).read_bytes()).hexdigest()
    if kind in (ALLER, ACK_RETOUR):
        assert tuple(f.code for f in check_outgoing(doc) if f.severity == "error") == errors


@pytest.mark.parametrize("relative", sorted(NOT_PES))
def test_non_pes_sample_is_refused_with_its_root(relative):
    with pytest.raises(PESRootError) as caught:
        read_pes(FIXTURES / relative)
    assert f"« {NOT_PES[relative]} »" in caught.value.message


def test_pes_aller_details():
    doc = read_pes(FIXTURES / HS / "pes_aller.xml")
    (b,) = doc.bordereaux
    assert (b.domain, b.id, b.exer, b.id_bord, b.nbr_pce, b.piece_count) == (
        "depense",
        "BORD1093357910",
        "2009",
        "1093357910",
        1,
        1,
    )
    assert b.mt_bord_ht == Decimal("75724.75") and doc.total("depense") == Decimal("75724.75")
    assert doc.root_id == "c78a9729c1eb89ff9b47401bd7cd9d7e" and doc.envelope.typ_fic == "PESALR2"
    assert doc.header.dte_str == "2015-06-16" and not b.signed
    assert doc.top_level == ("Enveloppe", "EnTetePES", "PES_DepenseAller", "PES_PJ")


def test_signed_pastell_sample_locates_its_signature():
    doc = read_pes(FIXTURES / GLANEUR / "pes_depot_vrac/PESALR2_49101169800000_171227_2045.xml")
    (sig,) = doc.signatures
    assert (sig.id, sig.parent_tag, sig.parent_id, sig.first_reference) == (
        "BORD514432_SIG_1",
        "Bordereau",
        "BORD514432",
        "#BORD514432",
    )
    assert doc.bordereaux[0].signed
    big, outside = doc.attachments
    assert big.base64_length == 2_000_000 and big.in_pes_pj and big.nom_pj is None
    assert outside.mime_type == "application/pdf" and not outside.in_pes_pj


def test_accented_label_is_decoded_from_latin1():
    doc = read_pes(FIXTURES / SAMPLES_ACCENT)
    assert doc.header.libelle_col_bud == "Test é(-è_çà)="


SAMPLES_ACCENT = (
    "pastell/test/PHPUnit/module/helios-generique/fixtures/HELIOS_SIMU_ALR2_LibelleColBud_avec_accent.xml"
)


def test_acquit_elements():
    doc = read_pes(FIXTURES / HS / "pes_acquit.xml")
    assert [(e.domain, e.ok) for e in doc.ack_elements] == [("5", True)] + [("4", True)] * 4
    first, second = doc.ack_elements[:2]
    assert (first.num_bord, first.exercice_bord, first.domain_label) == ("1847", "2015", "dépense")
    assert second.id_unique == "200049104000252015DEPENSE0000087458"


def test_acquit_not_valid_error_is_explained():
    doc = read_pes(FIXTURES / HS / "pes_acquit_not_valid.xml")
    (element,) = doc.ack_elements
    assert not element.ok and element.domain_label == "technique"
    (error,) = element.errors
    assert error.code == "ERREUR_AUTRE" and "Boite 1" in error.label
    assert error.explanation.startswith("Autre erreur")


def test_incoming_checks():
    assert check_incoming(read_pes(FIXTURES / HS / "pes_acquit.xml")) == ()
    codes = [
        f.code
        for f in check_incoming(read_pes(FIXTURES / HS / "pes_acquit_wrongXsd_Not_Linked_To_Transaction.xml"))
    ]
    assert codes == ["nomfic_missing"]
    (warning,) = check_incoming(read_pes(FIXTURES / HS / "pes_acquit_not_valid_without_cod_col.xml"))
    assert warning.severity == "warning"


def test_retour_and_acquit_retour_contents():
    retour = read_pes(FIXTURES / HS / "pes_retour.xml")
    assert [(b.tag, b.typ_restit, b.bordereau_count) for b in retour.retour_blocks] == [
        ("PES_DepenseRetour", "AA", 1)
    ]
    assert retour.envelope.typ_fic == "PESRETOUR_DEP"
    ack = read_pes(FIXTURES / HS / "PES_ACQUIT_RETOUR.xml")
    (element,) = ack.ack_retour_elements
    assert (element.domain, element.typ_restit, element.date_acquit) == ("13", "02", "2025-03-10")
    assert element.nom_fichier_retour.startswith("PES2R_DEP_P_710")
