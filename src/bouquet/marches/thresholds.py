"""Procurement thresholds (€ HT) in one dated table, and what they imply for a consultation.

Each row applies from its ``valid_from`` date until the next row: next year's values are one more
row. Sources: décret n° 2025-1386 of 29 December 2025 and the EU regulations for 2026-2027 (see
docs/marches.md and the procurement spec §1.12).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bouquet.marches.choices import Kind, Procedure

__all__ = ["TABLE", "Assessment", "Thresholds", "applicable", "assess", "euros"]


@dataclass(frozen=True)
class Thresholds:
    valid_from: date
    #: formalised procedure, supplies and services of local authorities (collectivités, syndicats)
    formalised_supplies_services: Decimal
    #: formalised procedure, works
    formalised_works: Decimal
    #: below: no publicity nor competition required (R2122-8)
    no_publicity_works: Decimal
    no_publicity_supplies_services: Decimal
    #: from: the DCE must be on the profil d'acheteur (R2132-2)
    dce_on_profile: Decimal
    #: from: notice in the BOAMP or a JAL, besides the profil (MAPA)
    mapa_press_notice: Decimal
    #: from: essential data (DECP) published on data.gouv.fr
    decp: Decimal


def _row(valid_from: date, *values: int) -> Thresholds:
    return Thresholds(valid_from, *(Decimal(value) for value in values))


TABLE: tuple[Thresholds, ...] = (
    _row(date(2024, 1, 1), 221_000, 5_538_000, 100_000, 40_000, 40_000, 90_000, 40_000),
    _row(date(2026, 1, 1), 216_000, 5_404_000, 100_000, 40_000, 40_000, 90_000, 40_000),
    _row(date(2026, 4, 1), 216_000, 5_404_000, 100_000, 60_000, 60_000, 90_000, 40_000),
)  # fmt: skip


def applicable(on: date) -> Thresholds:
    """The row in force on ``on`` (the oldest row for earlier dates)."""
    rows = [row for row in TABLE if row.valid_from <= on]
    return max(rows, key=lambda row: row.valid_from) if rows else TABLE[0]


def euros(amount: Decimal) -> str:
    """« 216 000 € » (French thousands separator, no cents when round)."""
    whole = f"{amount:,.0f}" if amount == amount.to_integral() else f"{amount:,.2f}"
    return whole.replace(",", "\u202f").replace(".", ",") + " €"


@dataclass
class Assessment:
    """What the thresholds say about a consultation: ``warnings`` need the buyer's attention
    before publishing; ``notes`` only inform."""

    thresholds: Thresholds
    formalised_threshold: Decimal
    is_formalised: bool
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def assess(kind: str, amount: Decimal, procedure: str, on: date) -> Assessment:
    row = applicable(on)
    works = kind == Kind.WORKS
    formalised = row.formalised_works if works else row.formalised_supplies_services
    no_publicity = row.no_publicity_works if works else row.no_publicity_supplies_services
    result = Assessment(row, formalised, amount >= formalised)
    if amount >= formalised and procedure in {Procedure.MAPA, Procedure.NO_PUBLICITY}:
        result.warnings.append(
            f"Le montant estimé ({euros(amount)} HT) atteint le seuil des procédures formalisées "
            f"({euros(formalised)} HT) : une procédure adaptée n'est pas possible, choisissez un appel "
            "d'offres ou une autre procédure formalisée."
        )
    elif procedure == Procedure.NO_PUBLICITY and amount >= no_publicity:
        result.warnings.append(
            f"Au-delà de {euros(no_publicity)} HT, un marché sans publicité ni mise en concurrence "
            "n'est possible que dans les cas prévus par le code de la commande publique."
        )
    if amount < no_publicity:
        result.notes.append(
            f"Sous {euros(no_publicity)} HT, la publicité n'est pas obligatoire : "
            "cette publication est un choix."
        )
    elif amount < formalised and amount >= row.mapa_press_notice:
        result.notes.append(
            f"À partir de {euros(row.mapa_press_notice)} HT, publiez aussi l'avis au BOAMP "
            "ou dans un journal d'annonces légales."
        )
    elif amount >= formalised:
        result.notes.append("Procédure formalisée : l'avis est aussi à publier au BOAMP et au JOUE (eForms).")
    if amount >= row.decp:
        result.notes.append(
            f"À partir de {euros(row.decp)} HT, les données essentielles du marché attribué seront publiées."
        )
    return result
