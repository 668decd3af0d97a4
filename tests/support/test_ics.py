import datetime as dt
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase, override_settings
from django.utils import timezone

from bouquet.support.choices import SessionMode, SessionStatus
from bouquet.support.ics import CalendarEvent, build_calendar, escape_text, fold_line
from bouquet.support.invitations import session_calendar
from bouquet.support.services.schedule_session import SessionData, update_session

from .helpers import TUESDAY, SupportTestCase, make_session, next_day
from .ical import parse, unescape

PARIS = ZoneInfo("Europe/Paris")
TRICKY_TITLE = "Budget, DM n°2; ACTES \\ HELIOS"
TRICKY_PROGRAMME = "Matin : saisie\nAprès-midi : « télétransmission », questions; réponses\r\nFin."


class SessionInvitationTestCase(SupportTestCase):
    @override_settings(SUPPORT_CALENDAR_DOMAIN="bouquet.example.test")
    def test_it_parses_back_with_the_session_s_data(self):
        start = next_day(TUESDAY, 14, 30)
        session = make_session(
            self.operator,
            starts_at=start,
            title=TRICKY_TITLE,
            description=TRICKY_PROGRAMME,
            location="https://visio.example.test/salle?code=12,34",
        )
        calendar = parse(session_calendar(session))
        self.assertEqual(calendar.value("VERSION"), "2.0")
        self.assertEqual(calendar.value("METHOD"), "PUBLISH")
        event = calendar.child("VEVENT")
        self.assertEqual(event.value("UID"), f"{session.uid}@bouquet.example.test")
        self.assertEqual(event.value("SEQUENCE"), "0")
        self.assertEqual(event.value("STATUS"), "CONFIRMED")
        self.assertEqual(event.local_time("DTSTART"), session.starts_at)
        self.assertEqual(event.local_time("DTEND"), session.ends_at)
        self.assertEqual(event.get("DTSTART")[1], timezone.localtime(start).strftime("%Y%m%dT143000"))
        self.assertEqual(unescape(event.value("SUMMARY")), f"Formation : {TRICKY_TITLE}")
        description = unescape(event.value("DESCRIPTION"))
        self.assertTrue(
            description.startswith(
                "Matin : saisie\nAprès-midi : « télétransmission », questions; réponses\nFin."
            )
        )
        self.assertEqual(unescape(event.value("LOCATION")), "https://visio.example.test/salle?code=12,34")
        params, organizer = event.get("ORGANIZER")
        self.assertEqual((params["CN"], organizer), ("Opérateur de test", "mailto:operateur@example.test"))
        self.assertTrue(event.value("DTSTAMP").endswith("Z"))

    def test_every_tzid_has_its_vtimezone_with_the_french_rules(self):
        calendar = parse(session_calendar(make_session(self.operator)))
        zone = calendar.child("VTIMEZONE")
        self.assertEqual(zone.value("TZID"), "Europe/Paris")
        self.assertEqual(zone.child("DAYLIGHT").value("TZOFFSETTO"), "+0200")
        self.assertEqual(zone.child("STANDARD").value("RRULE"), "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")

    def test_summer_and_winter_times_are_wall_clock_times(self):
        for moment in (dt.datetime(2031, 7, 4, 14, tzinfo=PARIS), dt.datetime(2031, 12, 5, 14, tzinfo=PARIS)):
            session = make_session(self.operator, starts_at=moment)
            event = parse(session_calendar(session)).child("VEVENT")
            self.assertTrue(event.get("DTSTART")[1].endswith("T140000"))
            self.assertEqual(event.local_time("DTSTART").astimezone(dt.UTC), moment.astimezone(dt.UTC))

    def test_a_change_keeps_the_uid_and_raises_the_sequence(self):
        session = make_session(self.operator)
        before = parse(session_calendar(session)).child("VEVENT")
        later = session.starts_at + dt.timedelta(days=3)
        data = SessionData(
            title="Nouveau titre", starts_at=later, ends_at=later + dt.timedelta(hours=2), capacity=8
        )
        update_session(session=session, user=self.sam, data=data, confirm_unusual_slot=True)
        session.refresh_from_db()
        after = parse(session_calendar(session)).child("VEVENT")
        self.assertEqual(after.value("UID"), before.value("UID"))
        self.assertEqual(after.value("SEQUENCE"), "1")
        self.assertEqual(after.local_time("DTSTART"), later)

    def test_a_cancelled_session_says_so(self):
        session = make_session(
            self.operator,
            status=SessionStatus.CANCELLED,
            mode=SessionMode.ONSITE,
            location="Salle du conseil",
        )
        event = parse(session_calendar(session)).child("VEVENT")
        self.assertEqual(event.value("STATUS"), "CANCELLED")
        self.assertEqual(event.value("LOCATION"), "Salle du conseil")


class IcsLibraryTestCase(SimpleTestCase):
    def test_it_folds_long_lines_without_cutting_a_character(self):
        line = "DESCRIPTION:" + "é" * 100 + "€" * 30
        folded = fold_line(line).encode("utf-8")
        physical = folded[:-2].split(b"\r\n")
        self.assertTrue(all(len(p) <= 75 for p in physical))
        self.assertTrue(all(p.startswith(b" ") for p in physical[1:]))
        self.assertEqual(b"".join(p[1:] if i else p for i, p in enumerate(physical)).decode(), line)

    def test_it_escapes_text_values(self):
        self.assertEqual(escape_text("a\\b;c,d\r\ne\nf"), "a\\\\b\\;c\\,d\\ne\\nf")

    def test_the_organizer_name_cannot_break_out_of_its_parameter(self):
        stamp = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
        event = CalendarEvent(
            uid="x@y",
            sequence=0,
            start=stamp,
            end=stamp + dt.timedelta(hours=1),
            summary="s",
            stamp=stamp,
            organizer_name='Agence "ICO": test',
            organizer_email="a@b.test",
        )
        params, value = parse(build_calendar(event)).child("VEVENT").get("ORGANIZER")
        self.assertEqual((params["CN"], value), ("Agence ICO: test", "mailto:a@b.test"))

    def test_naive_times_are_refused(self):
        naive = dt.datetime(2030, 1, 1, 14)
        with self.assertRaises(ValueError):
            build_calendar(
                CalendarEvent(uid="x", sequence=0, start=naive, end=naive, summary="s", stamp=naive)
            )
