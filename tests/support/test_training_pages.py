import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bouquet.core.models import JournalEntry
from bouquet.support.choices import RegistrationStatus
from bouquet.support.models import Registration, TrainingSession
from bouquet.support.services.registrations import register_participant

from .helpers import TUESDAY, WEDNESDAY, SupportTestCase, make_session, next_day
from .ical import parse


class MemberTrainingPagesTestCase(SupportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = make_session(cls.operator, capacity=2, title="Flux PES pas à pas")

    def test_anonymous_visitors_go_to_the_login_page(self):
        for url in (
            reverse("support:home"),
            reverse("support:trainings"),
            reverse("support:training_detail", args=[self.session.pk]),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn("/connexion/", response["Location"])

    def test_the_member_nav_links_to_the_support_home(self):
        self.login(self.bob)
        self.assertContains(
            self.client.get(reverse("web:home")),
            f'<a href="{reverse("support:home")}">Accompagnement</a>',
            html=True,
        )

    def test_the_planning_shows_the_year_by_month(self):
        self.login(self.alice)
        year = timezone.localtime(self.session.starts_at).year
        response = self.client.get(reverse("support:trainings"), {"annee": year})
        self.assertContains(response, f"Formations {year}")
        self.assertContains(response, "Flux PES pas à pas")
        self.assertContains(response, "2 places libres")
        self.assertContains(response, f"janvier {year}")
        self.assertNotContains(self.client.get(reverse("support:trainings"), {"annee": year + 1}), "Flux PES")
        self.assertEqual(self.client.get(reverse("support:trainings"), {"annee": "abc"}).status_code, 200)

    def test_an_agent_registers_a_colleague_then_the_session_is_full(self):
        self.login(self.alice)
        url = reverse("support:training_register", args=[self.session.pk])
        bob = self.bob.memberships.get()
        response = self.client.post(url, {"membership": bob.pk}, follow=True)
        self.assertContains(response, f"Inscription confirmée pour {self.bob.full_name}")
        self.client.post(url, {"membership": self.alice.memberships.get().pk})
        agent = self.agents[0].memberships.get()
        response = self.client.post(url, {"membership": agent.pk}, follow=True)
        self.assertContains(response, "liste d&#x27;attente (position 1)")
        self.assertEqual(
            sorted(Registration.objects.values_list("status", flat=True)),
            ["confirmed", "confirmed", "waiting"],
        )

    def test_a_colleague_of_another_authority_cannot_be_chosen(self):
        self.login(self.alice)
        charlie = self.charlie.memberships.get()
        response = self.client.post(
            reverse("support:training_register", args=[self.session.pk]), {"membership": charlie.pk}
        )
        self.assertContains(response, "Choisissez une personne de votre collectivité", status_code=400)
        page = self.client.get(reverse("support:training_detail", args=[self.session.pk]))
        self.assertNotContains(page, self.charlie.full_name)
        self.assertFalse(Registration.objects.exists())

    def test_a_read_only_account_sees_but_cannot_register(self):
        self.login(self.bob)
        page = self.client.get(reverse("support:training_detail", args=[self.session.pk]))
        self.assertContains(page, "consultation seule")
        response = self.client.post(
            reverse("support:training_register", args=[self.session.pk]),
            {"membership": self.bob.memberships.get().pk},
        )
        self.assertEqual(response.status_code, 403)

    def test_the_page_shows_only_the_authority_s_own_registrations(self):
        register_participant(
            session=self.session, authority=self.authority_b, participant=self.charlie, user=self.charlie
        )
        self.login(self.alice)
        page = self.client.get(reverse("support:training_detail", args=[self.session.pk]))
        self.assertContains(page, "1 libre")
        self.assertNotContains(page, self.charlie.full_name)
        self.assertNotContains(page, "Commune B")

    def test_the_invitation_downloads_and_cancelling_frees_the_seat(self):
        seat = register_participant(
            session=self.session, authority=self.authority_a, participant=self.alice, user=self.alice
        )
        self.login(self.agents[0])
        response = self.client.get(reverse("support:registration_ics", args=[seat.pk]))
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn('attachment; filename="formation-', response["Content-Disposition"])
        self.assertEqual(
            parse(response.content).child("VEVENT").local_time("DTSTART"), self.session.starts_at
        )
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("support:registration_cancel", args=[seat.pk]), follow=True)
        self.assertContains(response, "est annulée")
        seat.refresh_from_db()
        self.assertEqual(seat.status, RegistrationStatus.CANCELLED)
        self.assertEqual([m.to for m in mail.outbox], [[self.alice.email]])  # cancelled by a colleague

    def test_another_authority_s_registration_is_404(self):
        seat_b = register_participant(
            session=self.session, authority=self.authority_b, participant=self.charlie, user=self.charlie
        )
        self.login(self.alice)
        self.assertEqual(
            self.client.get(reverse("support:registration_ics", args=[seat_b.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("support:registration_cancel", args=[seat_b.pk])).status_code, 404
        )
        seat_b.refresh_from_db()
        self.assertEqual(seat_b.status, RegistrationStatus.CONFIRMED)

    def test_staff_without_a_member_account_are_sent_to_their_pages(self):
        self.login(self.sam)
        self.assertRedirects(self.client.get(reverse("support:home")), reverse("support:operator_home"))
        self.assertEqual(self.client.get(reverse("support:trainings")).status_code, 403)


class OperatorTrainingPagesTestCase(SupportTestCase):
    def form(self, when, **changes):
        local = timezone.localtime(when)
        fields = {
            "title": "Marchés publics",
            "day": local.date().isoformat(),
            "start": "14:00",
            "end": "16:00",
            "mode": "online",
            "location": "",
            "capacity": "10",
            "description": "",
        }
        return {**fields, **changes}

    def test_the_operator_subnav_links_to_the_support_pages(self):
        self.login(self.sam)
        page = self.client.get(reverse("web:operator_dashboard"))
        self.assertContains(page, f'href="{reverse("support:operator_home")}"')

    def test_staff_schedule_a_session_and_the_days_rule_is_explained(self):
        self.login(self.sam)
        url = reverse("support:operator_training_new")
        self.assertContains(self.client.get(url), 'value="10"')
        response = self.client.post(url, self.form(next_day(WEDNESDAY)))
        self.assertContains(response, "est un mercredi", status_code=400)
        self.assertContains(response, "Confirmer ce créneau inhabituel", status_code=400)
        self.assertFalse(TrainingSession.objects.exists())
        response = self.client.post(url, self.form(next_day(WEDNESDAY), confirm_unusual_slot="on"))
        session = TrainingSession.objects.get()
        self.assertRedirects(response, reverse("support:operator_training_detail", args=[session.pk]))
        self.assertTrue(session.outside_usual_slot)

    def test_the_form_refuses_more_than_ten_seats_and_nonsense(self):
        self.login(self.olga)
        url = reverse("support:operator_training_new")
        response = self.client.post(url, self.form(next_day(TUESDAY), capacity="11"))
        self.assertContains(response, "10 places au plus", status_code=400)
        response = self.client.post(url, self.form(next_day(TUESDAY), day="31/02/2030", start="25:00"))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(TrainingSession.objects.exists())

    def test_staff_record_attendance_after_the_start(self):
        session = make_session(self.operator, capacity=2)
        seat = register_participant(
            session=session, authority=self.authority_a, participant=self.alice, user=self.alice
        )
        TrainingSession.objects.filter(pk=session.pk).update(
            starts_at=timezone.now() - dt.timedelta(minutes=30)
        )
        self.login(self.sam)
        page = self.client.get(reverse("support:operator_training_detail", args=[session.pk]))
        self.assertContains(page, f'name="attendance-{seat.pk}"')
        url = reverse("support:operator_training_attendance", args=[session.pk])
        self.client.post(url, {f"attendance-{seat.pk}": "present"})
        seat.refresh_from_db()
        self.assertEqual(seat.attendance, "present")
        response = self.client.post(url, {"attendance-abc": "present"}, follow=True)
        self.assertContains(response, "Formulaire de présence invalide")

    def test_staff_cancel_a_registration_journaled_as_an_operator_view(self):
        session = make_session(self.operator)
        seat = register_participant(
            session=session, authority=self.authority_b, participant=self.charlie, user=self.charlie
        )
        self.login(self.sam)
        self.client.post(reverse("support:operator_registration_cancel", args=[seat.pk]))
        seat.refresh_from_db()
        self.assertEqual(seat.status, RegistrationStatus.CANCELLED)
        self.assertEqual(seat.events.last().message, "Annulée par l'opérateur")
        self.assertTrue(JournalEntry.objects.filter(action="operator.view", object_id=seat.pk).exists())

    def test_the_operator_planning_and_members_403(self):
        session = make_session(self.operator, title="Certificats RGS")
        self.login(self.olga)
        year = timezone.localtime(session.starts_at).year
        self.assertContains(
            self.client.get(reverse("support:operator_trainings"), {"annee": year}), "Certificats RGS"
        )
        self.login(self.alice)
        for url in (
            reverse("support:operator_trainings"),
            reverse("support:operator_training_new"),
            reverse("support:operator_training_detail", args=[session.pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("support:operator_training_cancel", args=[session.pk])).status_code, 403
        )
