"""Thresholds (dated table) and minimum time limits: the warnings a buyer sees before publishing."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bouquet.marches.choices import Kind, Procedure
from bouquet.marches.deadlines import check_deadlines, earliest_deadline, french_holidays
from bouquet.marches.thresholds import TABLE, applicable, assess, euros

PARIS = ZoneInfo("Europe/Paris")


def at(y, m, d, h=12) -> datetime:
    return datetime(y, m, d, h, tzinfo=PARIS)


def test_the_2026_rows_apply_from_their_dates():
    assert applicable(date(2025, 12, 31)).formalised_supplies_services == Decimal(221_000)
    assert applicable(date(2026, 1, 1)).formalised_supplies_services == Decimal(216_000)
    assert applicable(date(2026, 1, 1)).formalised_works == Decimal(5_404_000)
    assert applicable(date(2026, 3, 31)).no_publicity_supplies_services == Decimal(40_000)
    assert applicable(date(2026, 4, 1)).no_publicity_supplies_services == Decimal(60_000)
    assert applicable(date(2026, 4, 1)).dce_on_profile == Decimal(60_000)
    assert applicable(date(2030, 1, 1)) == TABLE[-1]


@pytest.mark.parametrize(
    ("kind", "amount", "procedure", "warned"),
    [
        (Kind.SERVICES, 216_000, Procedure.MAPA, True),
        (Kind.SERVICES, 215_999, Procedure.MAPA, False),
        (Kind.SERVICES, 300_000, Procedure.OPEN, False),
        (Kind.WORKS, 300_000, Procedure.MAPA, False),
        (Kind.WORKS, 5_404_000, Procedure.MAPA, True),
        (Kind.SUPPLIES, 70_000, Procedure.NO_PUBLICITY, True),
        (Kind.SUPPLIES, 50_000, Procedure.NO_PUBLICITY, False),
    ],
)
def test_a_procedure_below_its_threshold_is_warned(kind, amount, procedure, warned):
    result = assess(kind, Decimal(amount), procedure, date(2026, 6, 1))
    assert bool(result.warnings) is warned


def test_notes_name_the_publicity_that_applies():
    mapa = assess(Kind.WORKS, Decimal(150_000), Procedure.MAPA, date(2026, 6, 1))
    assert any("BOAMP ou dans un journal" in note for note in mapa.notes)
    small = assess(Kind.SUPPLIES, Decimal(30_000), Procedure.MAPA, date(2026, 6, 1))
    assert any("n'est pas obligatoire" in note for note in small.notes)
    assert euros(Decimal(216_000)) == "216\u202f000 €"


def test_holidays_and_weekends_push_the_earliest_deadline():
    assert date(2026, 4, 6) in french_holidays(2026)  # Easter Monday
    assert date(2026, 5, 14) in french_holidays(2026)  # Ascension
    # Published Wednesday 1 April 2026: +30 days = Friday 1 May (holiday) → Monday 4 May.
    assert earliest_deadline(Procedure.OPEN, date(2026, 4, 1)) == (date(2026, 5, 4), True)
    # MAPA: 20 days, a recommendation only.
    assert earliest_deadline(Procedure.MAPA, date(2026, 6, 1)) == (date(2026, 6, 22), False)
    assert earliest_deadline(Procedure.NO_PUBLICITY, date(2026, 6, 1)) is None


def consultation(**fields):
    values = {
        "procedure": Procedure.OPEN,
        "kind": Kind.SERVICES,
        "estimated_amount": Decimal(300_000),
        "bid_deadline": at(2026, 7, 15),
        "question_deadline": at(2026, 7, 1),
    }
    return SimpleNamespace(**{**values, **fields})


def test_a_deadline_shorter_than_the_legal_minimum_is_a_warning():
    short = consultation(bid_deadline=at(2026, 6, 20), question_deadline=at(2026, 6, 10))
    problems, warnings = check_deadlines(short, at(2026, 6, 1))
    assert problems == []
    assert len(warnings) == 1
    assert "délai minimal prévu par le code" in warnings[0]
    assert "19 jours" in warnings[0]


def test_a_long_enough_deadline_raises_nothing():
    assert check_deadlines(consultation(), at(2026, 6, 1)) == ([], [])


def test_formalised_questions_must_close_six_days_before():
    late = consultation(question_deadline=at(2026, 7, 12))
    _, warnings = check_deadlines(late, at(2026, 6, 1))
    assert any("6 jours" in w for w in warnings)


def test_no_deadline_or_past_deadline_blocks_publication():
    problems, _ = check_deadlines(consultation(bid_deadline=None), at(2026, 6, 1))
    assert problems == ["Indiquez la date et l'heure limites de remise des plis avant de publier."]
    problems, _ = check_deadlines(consultation(bid_deadline=at(2026, 5, 1)), at(2026, 6, 1))
    assert any("déjà passée" in p for p in problems)
    problems, _ = check_deadlines(
        consultation(question_deadline=at(2026, 7, 20)), at(2026, 6, 1) - timedelta(days=1)
    )
    assert any("doit précéder" in p for p in problems)
