"""Enumerations of the contracts app. DECP values are stored as the format writes them (they are
the official labels), so a record is built without translation tables."""

from django.db import models

from bouquet.marches.decp import constants as decp

__all__ = [
    "CCAG_CHOICES",
    "ContractStatus",
    "ENVIRONMENTAL_CHOICES",
    "EXECUTION_MODE_CHOICES",
    "GROUPING_CHOICES",
    "NATURE_CHOICES",
    "PLACE_TYPE_CHOICES",
    "PRICE_FORM_CHOICES",
    "PRICE_TYPE_CHOICES",
    "PROCEDURE_CHOICES",
    "SOCIAL_CHOICES",
    "TECHNIQUE_CHOICES",
]


def _same(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class ContractStatus(models.TextChoices):
    """Whether the essential data are still being completed, or published (then append-only)."""

    DRAFT = "draft", "Données à compléter"
    PUBLISHED = "published", "Données essentielles publiées"


NATURE_CHOICES = _same(decp.NATURES_MARCHE)
PROCEDURE_CHOICES = _same(decp.PROCEDURES_MARCHE)
TECHNIQUE_CHOICES = _same(decp.TECHNIQUES)
EXECUTION_MODE_CHOICES = _same(decp.MODALITES_EXECUTION)
CCAG_CHOICES = _same(decp.CCAG)
GROUPING_CHOICES = _same(decp.TYPES_GROUPEMENT)
PLACE_TYPE_CHOICES = _same(decp.TYPES_CODE_LIEU)
PRICE_TYPE_CHOICES = _same(decp.TYPES_PRIX)
PRICE_FORM_CHOICES = _same(decp.FORMES_PRIX)
SOCIAL_CHOICES = _same(decp.CONSIDERATIONS_SOCIALES_MARCHE)
ENVIRONMENTAL_CHOICES = _same(decp.CONSIDERATIONS_ENVIRONNEMENTALES)
