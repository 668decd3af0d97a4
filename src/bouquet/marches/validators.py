"""Field checks of the procurement platform (CPV code format)."""

import re

from django.core.exceptions import ValidationError

__all__ = ["CPV_RE", "validate_cpv"]

#: Same pattern as DECP v2 ``codeCPV``: eight digits, optionally a dash and the check digit.
CPV_RE = re.compile(r"^[0-9]{8}(-[0-9])?$")


def validate_cpv(value: str) -> None:
    if not CPV_RE.fullmatch(value or ""):
        raise ValidationError(
            "Le code CPV s'écrit avec 8 chiffres, suivis éventuellement d'un tiret et d'un chiffre "
            "(par exemple 45233140-2).",
            code="cpv_format",
        )
