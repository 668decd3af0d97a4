import pytest
from django.core.exceptions import ValidationError

from bouquet.core.validators import validate_departement, validate_siren, validate_siret


@pytest.mark.parametrize("siren", ["210100012", "732829320"])
def test_it_accepts_luhn_valid_sirens(siren):
    validate_siren(siren)


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("210100013", "clé de contrôle"),
        ("21010001", "9 chiffres"),
        ("21010001A", "9 chiffres"),
        ("", "9 chiffres"),
    ],
)
def test_it_rejects_bad_sirens_with_a_french_reason(siren, message):
    with pytest.raises(ValidationError, match=message):
        validate_siren(siren)


def test_it_checks_sirets_by_luhn_and_la_poste_rule():
    validate_siret("73282932000074")
    validate_siret("35600000000047")  # La Poste: digit sum multiple of 5, not Luhn
    with pytest.raises(ValidationError, match="clé de contrôle"):
        validate_siret("73282932000075")
    with pytest.raises(ValidationError, match="14 chiffres"):
        validate_siret("7328293200007")


@pytest.mark.parametrize("code", ["021", "02A", "02B", "974", "001", "095"])
def test_it_accepts_departements_on_three_characters(code):
    validate_departement(code)


@pytest.mark.parametrize("code", ["21", "020", "2A", "096", "977", "0021", "abc"])
def test_it_rejects_other_departement_codes(code):
    with pytest.raises(ValidationError, match="3 caractères"):
        validate_departement(code)
