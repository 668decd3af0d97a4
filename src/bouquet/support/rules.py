"""The operator's usual training slots: which weekdays, which afternoon hours (plain Python)."""

from dataclasses import dataclass
from datetime import datetime, time

__all__ = ["SlotPolicy", "WEEKDAY_NAMES", "parse_window", "slot_problems"]

WEEKDAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def parse_window(text: str) -> tuple[time, time]:
    """ "13:00-18:00" → (13:00, 18:00)."""
    start, _, end = text.partition("-")
    first, last = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    if last <= first:
        raise ValueError(f"invalid afternoon window {text!r}")
    return first, last


@dataclass(frozen=True)
class SlotPolicy:
    """Usual weekdays (0 = Monday) and the afternoon window sessions fit in."""

    weekdays: tuple[int, ...]
    window_start: time
    window_end: time

    def describe(self) -> str:
        """ "le mardi et le vendredi, entre 13 h et 18 h 30"."""
        days = [f"le {WEEKDAY_NAMES[d]}" for d in sorted(self.weekdays)]
        joined = " et ".join([", ".join(days[:-1]), days[-1]]) if len(days) > 1 else "".join(days)
        return f"{joined}, entre {_hour(self.window_start)} et {_hour(self.window_end)}"


def _hour(moment: time) -> str:
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def slot_problems(start: datetime, end: datetime, policy: SlotPolicy) -> list[str]:
    """Why a session (local start and end) falls outside the usual slots; empty when it fits."""
    problems = []
    if start.weekday() not in policy.weekdays:
        problems.append(f"Le {start:%d/%m/%Y} est un {WEEKDAY_NAMES[start.weekday()]}.")
    if start.time() < policy.window_start or end.time() > policy.window_end or end.date() != start.date():
        problems.append(
            f"Le créneau {start:%H:%M}–{end:%H:%M} sort de l'après-midi habituel "
            f"({policy.window_start:%H:%M}–{policy.window_end:%H:%M})."
        )
    return problems
