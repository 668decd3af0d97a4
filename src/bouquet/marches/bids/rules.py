"""Legal rules of the award stage, kept as dated data so that a change of the code is one edit.

Standstill ("délai de suspension"), art. R2182-1 CCP: for contracts awarded through a formalised
procedure, at least 11 days between sending the rejection/award notification and signing the
contract, 16 days when it was not sent electronically; counted from date to date, the day of
sending included (CE 2 August 2011, n° 347526). Not required when only one operator took part, nor
for subsequent contracts of a framework agreement (R2182-2).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bouquet.marches.choices import Procedure

__all__ = ["STANDSTILL_RULES", "Standstill", "standstill_for"]


@dataclass(frozen=True)
class StandstillRule:
    since: date
    electronic_days: int
    other_days: int
    procedures: frozenset[str]
    source: str


STANDSTILL_RULES = (
    StandstillRule(
        since=date(2019, 4, 1),
        electronic_days=11,
        other_days=16,
        procedures=frozenset(
            {Procedure.OPEN, Procedure.RESTRICTED, Procedure.NEGOTIATED, Procedure.COMPETITIVE_DIALOGUE}
        ),
        source="art. R2182-1 et R2182-2 du code de la commande publique",
    ),
)


@dataclass(frozen=True)
class Standstill:
    """``days`` is None when no standstill applies; ``until`` is the first day the contract may be signed."""

    days: int | None
    until: date | None
    explanation: str


def standstill_for(procedure: str, sent_at: datetime, *, bidders: int, electronic: bool = True) -> Standstill:
    rule = next((r for r in reversed(STANDSTILL_RULES) if r.since <= sent_at.date()), None)
    if rule is None or procedure not in rule.procedures:
        return Standstill(
            None, None, "Procédure adaptée : pas de délai de suspension obligatoire avant la signature."
        )
    if bidders <= 1:
        return Standstill(
            None, None, "Un seul opérateur a participé : le délai de suspension n'est pas exigé (R2182-2)."
        )
    days = rule.electronic_days if electronic else rule.other_days
    until = sent_at.date() + timedelta(days=days)
    return Standstill(
        days,
        until,
        f"Délai de suspension de {days} jours ({rule.source}) : le marché ne sera pas signé avant le "
        f"{until:%d/%m/%Y}.",
    )
