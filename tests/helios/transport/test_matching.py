import pytest

from bouquet.helios.transport import AcquitKey, UnroutableFileError, acquit_key, is_ocre, retour_siret

from .conftest import S2LOW


@pytest.mark.parametrize(
    ("fixture", "key"),
    [
        ("pes_acquit.xml", AcquitKey("pescg291201703030412001", "400")),
        ("pes_acquit_not_valid.xml", AcquitKey("pescg291201703030412001", "400")),
        ("pes_acquit_not_valid_without_cod_col.xml", AcquitKey("pescg291201703030412001", None)),
    ],
)
def test_acquit_key_is_nomfic_and_codcol_inside_the_acquit(fixture, key):
    assert acquit_key((S2LOW / fixture).read_bytes()) == key


@pytest.mark.parametrize(
    "fixture", ["pes_acquit_wrongXsd_Not_Linked_To_Transaction.xml", "wrong_root.xml", "pes_retour.xml"]
)
def test_unroutable_acquits(fixture):
    with pytest.raises(UnroutableFileError):
        acquit_key((S2LOW / fixture).read_bytes())


def test_not_xml_is_unroutable():
    with pytest.raises(UnroutableFileError):
        acquit_key(b"not xml at all")


def test_retour_siret_is_idcoll():
    assert retour_siret((S2LOW / "pes_retour.xml").read_bytes()) == "12345678900035"
    assert retour_siret((S2LOW / "pes_retour_nonabonne.xml").read_bytes()) == "66920145100015"
    with pytest.raises(UnroutableFileError):
        retour_siret((S2LOW / "pes_acquit.xml").read_bytes())


def test_ocre_files():
    assert is_ocre("FIC.OCRE") and is_ocre("x.ocr") and not is_ocre("acquit.xml")
