"""Minimum time limits for receiving bids, and the checks run before publishing.

Counting (spec §1.13): the period starts the day after the notice is sent, in calendar days; when
its last day is a Saturday, Sunday or public holiday, it ends the next working day.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from bouquet.marches.choices import Procedure
from bouquet.marches.thresholds import assess

__all__ = ["MINIMUM_DAYS", "QUESTION_MARGIN_DAYS", "earliest_deadline", "french_holidays", "minimum_days"]

#: procedure → (days, legal?). Electronic reception is the rule here, so the reduced legal periods
#: apply (open: 35 → 30 days; restricted and negotiated: 30 days for the candidatures). For MAPA the
#: law only asks for a "reasonable" period: 20 days is the usual advice, shown as a recommendation.
MINIMUM_DAYS: dict[str, tuple[int, bool]] = {
    Procedure.OPEN: (30, True),
    Procedure.RESTRICTED: (30, True),
    Procedure.NEGOTIATED: (30, True),
    Procedure.COMPETITIVE_DIALOGUE: (30, True),
    Procedure.MAPA: (20, False),
}
#: Formalised procedures: additional information is sent at the latest 6 days before the deadline.
QUESTION_MARGIN_DAYS = 6


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def french_holidays(year: int) -> frozenset[date]:
    easter = _easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [easter + timedelta(days=n) for n in (1, 39, 50)]
    return frozenset([date(year, m, d) for m, d in fixed] + movable)


def _working(day: date) -> date:
    while day.weekday() >= 5 or day in french_holidays(day.year):
        day += timedelta(days=1)
    return day


def minimum_days(procedure: str) -> tuple[int, bool] | None:
    """(days, legal?) for ``procedure``; None when no period applies (no publicity)."""
    return MINIMUM_DAYS.get(procedure)


def earliest_deadline(procedure: str, published: date) -> tuple[date, bool] | None:
    """The first day a bid deadline may fall on, and whether that minimum is a legal one."""
    rule = minimum_days(procedure)
    if rule is None:
        return None
    days, legal = rule
    return _working(published + timedelta(days=days)), legal


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def check_deadlines(consultation, published: datetime) -> tuple[list[str], list[str]]:
    """(problems that block publication, warnings the buyer must confirm) about the dates."""
    problems, warnings = [], []
    bid, question = consultation.bid_deadline, consultation.question_deadline
    if bid is None:
        problems.append("Indiquez la date et l'heure limites de remise des plis avant de publier.")
        return problems, warnings
    if bid <= published:
        problems.append("La date limite de remise des plis est déjà passée : choisissez une date future.")
    if question is not None and question > bid:
        problems.append("La date limite des questions doit précéder la date limite de remise des plis.")
    earliest = earliest_deadline(consultation.procedure, _local_day(published))
    if earliest is not None and _local_day(bid) < earliest[0]:
        days = (_local_day(bid) - _local_day(published)).days
        minimum, legal = earliest
        kind = "le délai minimal prévu par le code de la commande publique" if legal else "le délai conseillé"
        warnings.append(
            f"Le délai de remise des plis ({days} jours) est plus court que {kind} pour cette procédure : "
            f"pas avant le {minimum:%d/%m/%Y}."
        )
    amount = consultation.estimated_amount or Decimal(0)
    formalised = assess(
        consultation.kind, amount, consultation.procedure, _local_day(published)
    ).is_formalised
    if formalised and question is not None and bid - question < timedelta(days=QUESTION_MARGIN_DAYS):
        warnings.append(
            "En procédure formalisée, les réponses aux questions doivent partir au plus tard "
            f"{QUESTION_MARGIN_DAYS} jours avant la date limite : avancez la date limite des questions."
        )
    return problems, warnings
