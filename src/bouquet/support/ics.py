"""Calendar invitations (iCalendar, RFC 5545) for training sessions; plain Python, no Django.

Times are written in Europe/Paris with a TZID parameter, and the VTIMEZONE that RFC 5545
§3.2.19 requires for each TZID is included (the EU rule: summer time from the last Sunday of
March, 02:00, to the last Sunday of October, 03:00). Lines end with CRLF and are folded at 75
octets without cutting a UTF-8 character; TEXT values are escaped (§3.3.11).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

__all__ = ["CalendarEvent", "build_calendar", "escape_text", "fold_line"]

TZID = "Europe/Paris"
PARIS = ZoneInfo(TZID)
CRLF = "\r\n"

VTIMEZONE_PARIS = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT.

    :param uid: globally unique and stable across updates (the session's UUID @ our domain).
    :param sequence: grows with each change so that calendars replace the old version.
    :param start: aware datetime; written in Europe/Paris local time.
    :param stamp: when the invitation was produced (DTSTAMP, UTC).
    :param cancelled: STATUS:CANCELLED instead of CONFIRMED.
    """

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    stamp: datetime
    description: str = ""
    location: str = ""
    url: str = ""
    organizer_name: str = ""
    organizer_email: str = ""
    cancelled: bool = False


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as ``\\n``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(raw, escaped)
    return value


def _param(value: str) -> str:
    """A parameter value (CN=…): quoted; DQUOTE and control characters are not allowed in it."""
    cleaned = "".join(c for c in value if c != '"' and (c >= " " or c == "\t"))
    return f'"{cleaned}"'


def fold_line(line: str) -> str:
    """Fold a content line at 75 octets (continuations start with one space), CRLF-terminated."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        # 75 octets on the first line; 74 after the leading space on the next ones.
        if size + width > (75 if not chunks else 74):
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return CRLF.join((" " + c if i else c) for i, c in enumerate(chunks)) + CRLF


def _local(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("the event's times must be aware datetimes")
    return moment.astimezone(PARIS).strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: CalendarEvent) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{_utc(event.stamp)}",
        f"DTSTART;TZID={TZID}:{_local(event.start)}",
        f"DTEND;TZID={TZID}:{_local(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.organizer_email:
        name = f";CN={_param(event.organizer_name)}" if event.organizer_name else ""
        lines.append(f"ORGANIZER{name}:mailto:{event.organizer_email}")
    lines.append("END:VEVENT")
    return lines


def build_calendar(event: CalendarEvent) -> bytes:
    """The .ics file (UTF-8) with one event and the Europe/Paris time zone it refers to."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Bouquet//Accompagnement des adherents//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *VTIMEZONE_PARIS,
        *_event_lines(event),
        "END:VCALENDAR",
    ]
    return "".join(fold_line(line) for line in lines).encode("utf-8")
