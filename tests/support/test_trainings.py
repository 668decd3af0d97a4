import datetime as dt

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from bouquet.core.models import JournalEntry
from bouquet.support.choices import Attendance, RegistrationStatus, SessionStatus
from bouquet.support.errors import RightsError, RuleError
from bouquet.support.models import Registration, TrainingSession
from bouquet.support.services.record_attendance import record_attendance
from bouquet.support.services.registrations import cancel_registration, register_participant, waiting_position
from bouquet.support.services.schedule_session import (
    SessionData,
    cancel_session,
    create_session,
    update_session,
)

from .helpers import FRIDAY, TUESDAY, WEDNESDAY, SupportTestCase, make_session, next_day


def session_data(start, hours=2, capacity=10, title="Flux PES") -> SessionData:
    return SessionData(
        title=title, starts_at=start, ends_at=start + dt.timedelta(hours=hours), capacity=capacity
    )


class ScheduleSessionTestCase(SupportTestCase):
    def test_it_schedules_on_tuesday_and_friday_afternoons(self):
        for day in (TUESDAY, FRIDAY):
            session = create_session(
                operator=self.operator, user=self.sam, data=session_data(next_day(day, 14))
            )
            self.assertFalse(session.outside_usual_slot)
            self.assertEqual(session.mode, "online")
        entry = JournalEntry.objects.filter(action="support.training.create").last()
        self.assertEqual(entry.object_id, str(session.pk))

    def test_it_refuses_another_day_unless_staff_confirm(self):
        wednesday = next_day(WEDNESDAY, 14)
        with self.assertRaisesMessage(RuleError, "est un mercredi"):
            create_session(operator=self.operator, user=self.sam, data=session_data(wednesday))
        self.assertFalse(TrainingSession.objects.exists())
        session = create_session(
            operator=self.operator, user=self.sam, data=session_data(wednesday), confirm_unusual_slot=True
        )
        self.assertTrue(session.outside_usual_slot)

    def test_it_refuses_a_morning_or_a_late_end(self):
        with self.assertRaisesMessage(RuleError, "sort de l'après-midi habituel"):
            create_session(operator=self.operator, user=self.sam, data=session_data(next_day(TUESDAY, 9)))
        with self.assertRaisesMessage(RuleError, "sort de l'après-midi habituel"):
            create_session(operator=self.operator, user=self.sam, data=session_data(next_day(FRIDAY, 17)))

    @override_settings(SUPPORT_TRAINING_WEEKDAYS=[0], SUPPORT_TRAINING_AFTERNOON="09:00-12:00")
    def test_the_usual_slots_are_a_setting(self):
        create_session(operator=self.operator, user=self.sam, data=session_data(next_day(0, 9)))
        with self.assertRaisesMessage(RuleError, "est un mardi"):
            create_session(operator=self.operator, user=self.sam, data=session_data(next_day(TUESDAY, 9)))

    def test_it_never_goes_above_ten_seats(self):
        with self.assertRaisesMessage(RuleError, "de 1 à 10 participants"):
            create_session(
                operator=self.operator, user=self.sam, data=session_data(next_day(TUESDAY), capacity=11)
            )
        with self.assertRaises(RuleError):
            create_session(
                operator=self.operator, user=self.sam, data=session_data(next_day(TUESDAY), capacity=0)
            )

    @override_settings(SUPPORT_TRAINING_MAX_CAPACITY=12)
    def test_the_ceiling_is_a_setting(self):
        session = create_session(
            operator=self.operator, user=self.sam, data=session_data(next_day(TUESDAY), capacity=12)
        )
        self.assertEqual(session.capacity, 12)

    def test_it_refuses_bad_times(self):
        start = next_day(TUESDAY)
        with self.assertRaisesMessage(RuleError, "La fin de la session doit venir après son début"):
            create_session(operator=self.operator, user=self.sam, data=session_data(start, hours=-1))
        with self.assertRaisesMessage(RuleError, "déjà passée"):
            create_session(
                operator=self.operator, user=self.sam, data=session_data(start - dt.timedelta(weeks=5))
            )

    def test_members_cannot_schedule(self):
        with self.assertRaises(RightsError):
            create_session(operator=self.operator, user=self.alice, data=session_data(next_day(TUESDAY)))


class RegistrationTestCase(SupportTestCase):
    def setUp(self):
        self.session = make_session(self.operator, capacity=10)

    def register(self, user, participant=None):
        return register_participant(
            session=self.session, authority=self.authority_a, participant=participant or user, user=user
        )

    def test_the_eleventh_person_goes_on_the_waiting_list(self):
        with self.captureOnCommitCallbacks(execute=True):
            seats = [self.register(agent) for agent in self.agents[:10]]
            eleventh = self.register(self.agents[10])
        self.assertEqual({r.status for r in seats}, {RegistrationStatus.CONFIRMED})
        self.assertEqual(eleventh.status, RegistrationStatus.WAITING)
        self.assertEqual(waiting_position(eleventh), 1)
        self.assertEqual(self.session.registrations.filter(status="confirmed").count(), 10)
        confirmation, waiting = mail.outbox[0], mail.outbox[-1]
        self.assertIn("Inscription confirmée", confirmation.subject)
        self.assertEqual(confirmation.attachments[0].filename, f"formation-{self.session.pk}.ics")
        self.assertIn("position 1", waiting.body)
        self.assertEqual(waiting.attachments, [])

    def test_an_agent_registers_a_colleague_of_the_same_authority(self):
        registration = self.register(self.alice, participant=self.bob)
        self.assertEqual((registration.participant, registration.registered_by), (self.bob, self.alice))
        self.assertEqual(registration.events.get().message, "Inscrit par un collègue")
        entry = JournalEntry.objects.get(action="support.training.register")
        self.assertEqual(entry.authority, self.authority_a)

    def test_it_refuses_someone_of_another_authority(self):
        with self.assertRaisesMessage(RuleError, "ne fait pas partie de votre collectivité"):
            self.register(self.alice, participant=self.charlie)
        with self.assertRaises(RightsError):  # nor acting for an authority one does not belong to
            register_participant(
                session=self.session, authority=self.authority_b, participant=self.alice, user=self.alice
            )
        self.assertFalse(Registration.objects.exists())

    def test_a_read_only_account_cannot_register(self):
        with self.assertRaisesMessage(RightsError, "consultation seule"):
            self.register(self.bob)

    def test_it_refuses_a_second_registration_of_the_same_person(self):
        self.register(self.alice)
        with self.assertRaisesMessage(RuleError, "déjà inscrit"):
            self.register(self.agents[0], participant=self.alice)
        self.assertEqual(Registration.objects.count(), 1)

    def test_it_refuses_a_past_or_cancelled_session(self):
        self.session.starts_at = timezone.now() - dt.timedelta(minutes=1)
        self.session.save()
        with self.assertRaisesMessage(RuleError, "closes"):
            self.register(self.alice)
        other = make_session(self.operator, status=SessionStatus.CANCELLED)
        with self.assertRaisesMessage(RuleError, "closes"):
            register_participant(
                session=other, authority=self.authority_a, participant=self.alice, user=self.alice
            )


class WaitingListTestCase(SupportTestCase):
    def setUp(self):
        self.session = make_session(self.operator, capacity=2)
        self.first, self.second, self.third, self.fourth = (
            register_participant(
                session=self.session, authority=self.authority_a, participant=agent, user=agent
            )
            for agent in self.agents[:4]
        )
        mail.outbox.clear()

    def test_a_freed_seat_goes_to_the_first_person_waiting_who_is_told(self):
        self.assertEqual((self.third.status, self.fourth.status), ("waiting", "waiting"))
        with self.captureOnCommitCallbacks(execute=True):
            cancel_registration(registration=self.first, user=self.agents[0])
        self.third.refresh_from_db()
        self.fourth.refresh_from_db()
        self.assertEqual(self.third.status, RegistrationStatus.CONFIRMED)
        self.assertIsNotNone(self.third.promoted_at)
        self.assertEqual(self.fourth.status, RegistrationStatus.WAITING)
        self.assertEqual(waiting_position(self.fourth), 1)
        (promoted,) = mail.outbox
        self.assertEqual(promoted.to, [self.agents[2].email])
        self.assertIn("Une place s'est libérée", promoted.subject)
        self.assertEqual(promoted.attachments[0].mimetype, "text/calendar; charset=utf-8")
        self.assertEqual(
            list(self.third.events.values_list("status", "message")),
            [("waiting", ""), ("confirmed", "Une place s'est libérée")],
        )
        self.assertTrue(
            JournalEntry.objects.filter(action="support.training.promote", object_id=self.third.pk).exists()
        )

    def test_cancelling_a_waiting_place_promotes_nobody(self):
        with self.captureOnCommitCallbacks(execute=True):
            cancel_registration(registration=self.third, user=self.alice)
        self.fourth.refresh_from_db()
        self.assertEqual(self.fourth.status, RegistrationStatus.WAITING)
        self.assertEqual(waiting_position(self.fourth), 1)
        self.assertEqual(
            [m.to for m in mail.outbox], [[self.agents[2].email]]
        )  # "your registration is cancelled"

    def test_more_seats_promote_the_waiting_list_and_fewer_than_taken_are_refused(self):
        update_session(
            session=self.session, user=self.sam, data=session_data(self.session.starts_at, capacity=3)
        )
        self.third.refresh_from_db()
        self.assertEqual(self.third.status, RegistrationStatus.CONFIRMED)
        with self.assertRaisesMessage(RuleError, "3 personnes sont déjà inscrites"):
            update_session(
                session=self.session, user=self.sam, data=session_data(self.session.starts_at, capacity=2)
            )
        self.session.refresh_from_db()
        self.assertEqual((self.session.capacity, self.session.sequence), (3, 1))

    def test_a_registration_of_another_authority_cannot_be_cancelled_by_a(self):
        with self.assertRaises(RightsError):
            cancel_registration(registration=self.first, user=self.charlie)
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, RegistrationStatus.CONFIRMED)

    def test_it_refuses_to_cancel_twice_or_after_the_start(self):
        cancel_registration(registration=self.first, user=self.alice)
        with self.assertRaisesMessage(RuleError, "déjà annulée"):
            cancel_registration(registration=self.first, user=self.alice)
        TrainingSession.objects.filter(pk=self.session.pk).update(
            starts_at=timezone.now() - dt.timedelta(hours=1)
        )
        with self.assertRaisesMessage(RuleError, "a commencé"):
            cancel_registration(registration=self.second, user=self.alice)

    def test_cancelling_the_session_cancels_and_tells_everyone(self):
        with self.captureOnCommitCallbacks(execute=True):
            cancel_session(session=self.session, user=self.olga)
        self.assertFalse(Registration.objects.filter(status__in=["confirmed", "waiting"]).exists())
        self.assertEqual(len(mail.outbox), 4)
        self.assertIn("Formation annulée", mail.outbox[0].subject)
        self.assertIn(b"STATUS:CANCELLED", mail.outbox[0].attachments[0].content.encode())
        with self.assertRaisesMessage(RuleError, "déjà annulée"):
            cancel_session(session=self.session, user=self.olga)


class AttendanceTestCase(SupportTestCase):
    def setUp(self):
        self.session = make_session(self.operator, capacity=1)
        self.seat = register_participant(
            session=self.session, authority=self.authority_a, participant=self.alice, user=self.alice
        )
        self.waiting = register_participant(
            session=self.session, authority=self.authority_a, participant=self.agents[0], user=self.agents[0]
        )

    def start(self):
        TrainingSession.objects.filter(pk=self.session.pk).update(
            starts_at=timezone.now() - dt.timedelta(hours=1)
        )
        self.session.refresh_from_db()

    def test_it_is_noted_once_the_session_has_started(self):
        with self.assertRaisesMessage(RuleError, "une fois la session commencée"):
            record_attendance(session=self.session, user=self.sam, marks={self.seat.pk: Attendance.PRESENT})
        self.start()
        self.assertEqual(
            record_attendance(session=self.session, user=self.sam, marks={self.seat.pk: "present"}), 1
        )
        self.seat.refresh_from_db()
        self.assertEqual(self.seat.attendance, Attendance.PRESENT)
        self.assertEqual(self.seat.events.last().message, "Présence : présent")
        self.assertEqual(JournalEntry.objects.filter(action="support.training.attendance").count(), 1)

    def test_it_refuses_a_waiting_person_or_an_unknown_value_and_changes_nothing(self):
        self.start()
        with self.assertRaisesMessage(RuleError, "rien n'a été enregistré"):
            record_attendance(
                session=self.session,
                user=self.sam,
                marks={self.seat.pk: "present", self.waiting.pk: "present"},
            )
        with self.assertRaisesMessage(RuleError, "Valeur de présence inconnue"):
            record_attendance(session=self.session, user=self.sam, marks={self.seat.pk: "peut-être"})
        self.seat.refresh_from_db()
        self.assertEqual(self.seat.attendance, "")

    def test_members_cannot_note_attendance(self):
        self.start()
        with self.assertRaises(RightsError):
            record_attendance(session=self.session, user=self.alice, marks={self.seat.pk: "present"})
