"""SIRET checks and the DECP identifier rules, without Django."""

import re

from .constants import ID_AVOIDED_CHARACTERS, ID_MAX_LENGTH

__all__ = ["id_problem", "siret_is_valid"]

#: La Poste's establishments share one SIREN whose SIRETs do not satisfy Luhn; INSEE's rule for
#: them is that the sum of the 14 digits is a multiple of 5.
LA_POSTE_SIREN = "356000000"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def siret_is_valid(value: str) -> bool:
    """14 digits and a valid check digit (Luhn, or La Poste's own rule)."""
    if not re.fullmatch(r"[0-9]{14}", value or ""):
        return False
    if value.startswith(LA_POSTE_SIREN):
        return _luhn_ok(value) or sum(int(c) for c in value) % 5 == 0
    return _luhn_ok(value)


def id_problem(value: str) -> str:
    """What is wrong with a contract identifier, in French; "" when it follows the DECP rules."""
    if not value:
        return "l'identifiant est vide."
    if len(value) > ID_MAX_LENGTH:
        return f"l'identifiant fait {len(value)} caractères, le maximum est {ID_MAX_LENGTH}."
    bad = sorted(set(value) & ID_AVOIDED_CHARACTERS)
    if bad:
        shown = ", ".join("espace" if c == " " else f"« {c} »" for c in bad)
        return f"l'identifiant contient des caractères à éviter : {shown}."
    return ""
