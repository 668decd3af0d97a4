"""Identifier checks for French public bodies (SIREN, SIRET, département code)."""

import re

from django.core.exceptions import ValidationError

__all__ = ["luhn_ok", "validate_siren", "validate_siret", "validate_departement", "validate_arrondissement"]

# Metropolitan 001-095 (Corsica is 02A/02B, not 020), then the overseas 971-976.
DEPARTEMENTS = frozenset(
    [f"0{n:02d}" for n in range(1, 96) if n != 20] + ["02A", "02B"] + [f"97{n}" for n in range(1, 7)]
)


def luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn check used by INSEE for SIREN and SIRET."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siren(value: str) -> None:
    if not re.fullmatch(r"\d{9}", value or ""):
        raise ValidationError("Le SIREN doit comporter exactement 9 chiffres.", code="siren_format")
    if not luhn_ok(value):
        raise ValidationError("Ce SIREN n'est pas valide (clé de contrôle incorrecte).", code="siren_luhn")


def validate_siret(value: str) -> None:
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.", code="siret_format")
    # La Poste's establishments (SIREN 356000000) may use a digit-sum rule instead of Luhn.
    la_poste_ok = value.startswith("356000000") and sum(int(c) for c in value) % 5 == 0
    if not (luhn_ok(value) or la_poste_ok):
        raise ValidationError("Ce SIRET n'est pas valide (clé de contrôle incorrecte).", code="siret_luhn")


def validate_departement(value: str) -> None:
    """@ctes writes the département on three characters: 021, 02A, 974."""
    if value not in DEPARTEMENTS:
        raise ValidationError(
            "Le département s'écrit sur 3 caractères, par exemple 021, 02A ou 974.", code="departement"
        )


def validate_arrondissement(value: str) -> None:
    if not re.fullmatch(r"\d", value or ""):
        raise ValidationError("L'arrondissement est un chiffre unique.", code="arrondissement")
