import datetime as dt

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bouquet.core.models import JournalEntry
from bouquet.support.choices import CallOutcome, RequestStatus, Theme
from bouquet.support.errors import RightsError, RuleError
from bouquet.support.models import AssistanceRequest, PhoneCall, RequestMessage
from bouquet.support.services.assistance_requests import change_request_status, open_request, reply_to_request
from bouquet.support.services.phone_calls import CallData, log_phone_call

from .helpers import SupportTestCase


class AssistanceRequestTestCase(SupportTestCase):
    def open(self, user=None, authority=None):
        with self.captureOnCommitCallbacks(execute=True):
            return open_request(
                authority=authority or self.authority_a,
                user=user or self.alice,
                theme=Theme.CERTIFICATS,
                subject="Certificat refusé",
                body="Le navigateur ne propose pas mon certificat.",
            )

    def test_a_new_request_reaches_the_staff(self):
        request = self.open()
        self.assertEqual(request.status, RequestStatus.NEW)
        self.assertEqual(request.messages.get().body, "Le navigateur ne propose pas mon certificat.")
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), [self.olga.email, self.sam.email])
        self.assertIn("Nouvelle demande d'assistance de Commune A", mail.outbox[0].subject)
        self.assertTrue(
            JournalEntry.objects.filter(action="support.request.open", authority=self.authority_a).exists()
        )

    @override_settings(SUPPORT_REQUESTS_EMAIL=["assistance@operateur.example.test"])
    def test_the_staff_address_is_a_setting(self):
        self.open()
        self.assertEqual([m.to for m in mail.outbox], [["assistance@operateur.example.test"]])

    def test_a_staff_reply_takes_it_in_progress_and_tells_the_member(self):
        request = self.open()
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            reply_to_request(
                request=request, user=self.sam, body="Réinstallez le pilote de la clé.", from_staff=True
            )
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.IN_PROGRESS)
        self.assertEqual([m.to for m in mail.outbox], [[self.alice.email]])
        self.assertIn("Réinstallez le pilote", mail.outbox[0].body)
        self.assertEqual(list(request.events.values_list("status", flat=True)), ["new", "in_progress"])

    def test_a_member_reply_reopens_a_resolved_request(self):
        request = self.open()
        with self.captureOnCommitCallbacks(execute=True):
            change_request_status(request=request, user=self.sam, status=RequestStatus.RESOLVED)
        self.assertIn("Demande résolue", mail.outbox[-1].subject)
        reply_to_request(request=request, user=self.agents[0], body="Toujours bloqué.", from_staff=False)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.IN_PROGRESS)
        self.assertEqual(request.messages.count(), 2)

    def test_bad_input_changes_nothing(self):
        request = self.open()
        with self.assertRaisesMessage(RuleError, "vide"):
            reply_to_request(request=request, user=self.alice, body="   ", from_staff=False)
        with self.assertRaisesMessage(RuleError, "10000"):
            reply_to_request(request=request, user=self.alice, body="x" * 10_001, from_staff=False)
        with self.assertRaisesMessage(RuleError, "déjà « nouvelle »"):
            change_request_status(request=request, user=self.sam, status=RequestStatus.NEW)
        with self.assertRaisesMessage(RuleError, "État inconnu"):
            change_request_status(request=request, user=self.sam, status="fermee")
        with self.assertRaisesMessage(RuleError, "thème"):
            open_request(authority=self.authority_a, user=self.alice, theme="x", subject="s", body="b")
        self.assertEqual(RequestMessage.objects.count(), 1)

    def test_rights(self):
        with self.assertRaises(RightsError):  # read-only
            open_request(authority=self.authority_a, user=self.bob, theme=Theme.AIDES, subject="s", body="b")
        with self.assertRaises(RightsError):  # another authority
            open_request(
                authority=self.authority_b, user=self.alice, theme=Theme.AIDES, subject="s", body="b"
            )
        request = self.open()
        with self.assertRaises(RightsError):
            reply_to_request(request=request, user=self.charlie, body="Je m'immisce", from_staff=False)
        with self.assertRaises(RightsError):
            reply_to_request(
                request=request, user=self.alice, body="Je me fais passer pour l'opérateur", from_staff=True
            )
        with self.assertRaises(RightsError):
            change_request_status(request=request, user=self.alice, status=RequestStatus.RESOLVED)


class RequestPagesTestCase(SupportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.request_a = open_request(
            authority=cls.authority_a,
            user=cls.alice,
            theme=Theme.AIDES,
            subject="Dotation socle A",
            body="Sommes-nous éligibles ?",
        )
        cls.request_b = open_request(
            authority=cls.authority_b,
            user=cls.charlie,
            theme=Theme.AIDES,
            subject="Dotation socle B",
            body="Et nous ?",
        )

    def test_a_member_sees_only_the_requests_of_the_authority(self):
        self.login(self.bob)
        response = self.client.get(reverse("support:requests"))
        self.assertContains(response, "Dotation socle A")
        self.assertNotContains(response, "Dotation socle B")
        self.assertContains(
            self.client.get(reverse("support:request_detail", args=[self.request_a.pk])),
            "Sommes-nous éligibles ?",
        )

    def test_another_authority_s_request_is_404_to_read_and_to_answer(self):
        self.login(self.alice)
        self.assertEqual(
            self.client.get(reverse("support:request_detail", args=[self.request_b.pk])).status_code, 404
        )
        response = self.client.post(
            reverse("support:request_reply", args=[self.request_b.pk]), {"body": "Coucou"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.request_b.messages.count(), 1)

    def test_a_read_only_account_reads_but_cannot_write(self):
        self.login(self.bob)
        self.assertNotContains(
            self.client.get(reverse("support:request_detail", args=[self.request_a.pk])), "Envoyer</button>"
        )
        self.assertEqual(
            self.client.post(
                reverse("support:request_reply", args=[self.request_a.pk]), {"body": "x"}
            ).status_code,
            403,
        )
        self.assertEqual(self.client.get(reverse("support:request_new")).status_code, 403)

    def test_a_member_opens_and_answers_through_the_pages(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("support:request_new"),
            {"theme": "marches", "subject": "Publier un avis", "body": "Comment faire ?"},
        )
        created = AssistanceRequest.objects.get(subject="Publier un avis")
        self.assertRedirects(response, reverse("support:request_detail", args=[created.pk]))
        bad = self.client.post(
            reverse("support:request_new"), {"theme": "inconnu", "subject": "", "body": ""}
        )
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "Ce champ est obligatoire", status_code=400)
        self.assertEqual(AssistanceRequest.objects.filter(authority=self.authority_a).count(), 2)

    def test_staff_answer_and_close_from_the_operator_page(self):
        self.login(self.sam)
        url = reverse("support:operator_request_detail", args=[self.request_b.pk])
        self.assertContains(self.client.get(url), "Commune B")
        self.assertTrue(
            JournalEntry.objects.filter(action="operator.view", object_id=self.request_b.pk).exists()
        )
        self.client.post(
            reverse("support:operator_request_reply", args=[self.request_b.pk]), {"body": "Oui."}
        )
        self.client.post(
            reverse("support:operator_request_status", args=[self.request_b.pk]), {"status": "resolved"}
        )
        self.request_b.refresh_from_db()
        self.assertEqual(self.request_b.status, RequestStatus.RESOLVED)
        self.assertEqual(self.request_b.messages.filter(from_staff=True).count(), 1)

    def test_members_get_403_on_the_operator_pages(self):
        self.login(self.alice)
        for name in ("support:operator_request_detail", "support:operator_request_reply"):
            self.assertEqual(self.client.get(reverse(name, args=[self.request_a.pk])).status_code, 403)


class PhoneCallTestCase(SupportTestCase):
    def data(self, **changes) -> CallData:
        fields = {
            "caller": "Alice (secrétaire)",
            "called_at": timezone.now() - dt.timedelta(hours=1),
            "theme": Theme.TELETRANSMISSION,
            "subject": "Acte sans AR",
            "duration_minutes": 12,
            "outcome": CallOutcome.RESOLVED,
        }
        return CallData(**{**fields, **changes})

    def test_staff_log_a_call(self):
        call = log_phone_call(authority=self.authority_a, user=self.sam, data=self.data())
        self.assertEqual((call.recorded_by, call.duration_minutes), (self.sam, 12))
        entry = JournalEntry.objects.get(action="support.call.log")
        self.assertEqual((entry.authority, entry.details["minutes"]), (self.authority_a, 12))

    def test_bad_input_is_refused(self):
        for changes, message in (
            ({"duration_minutes": 0}, "de 1 à 480 minutes"),
            ({"duration_minutes": 481}, "de 1 à 480 minutes"),
            ({"called_at": timezone.now() + dt.timedelta(days=1)}, "dans le futur"),
            ({"caller": "  "}, "qui a appelé"),
            ({"outcome": "bof"}, "suite donnée"),
        ):
            with self.subTest(changes=changes), self.assertRaisesMessage(RuleError, message):
                log_phone_call(authority=self.authority_a, user=self.sam, data=self.data(**changes))
        self.assertFalse(PhoneCall.objects.exists())

    def test_members_cannot_log_calls(self):
        with self.assertRaises(RightsError):
            log_phone_call(authority=self.authority_a, user=self.alice, data=self.data())
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("support:operator_calls")).status_code, 403)

    def test_the_page_logs_a_call_and_refuses_an_unknown_authority(self):
        self.login(self.sam)
        now = timezone.localtime()
        form = {
            "authority": self.authority_b.pk,
            "caller": "Charlie",
            "day": now.date().isoformat(),
            "time": "00:01",
            "theme": "aides",
            "subject": "Dotation",
            "duration_minutes": "7",
            "outcome": "callback",
        }
        self.assertRedirects(
            self.client.post(reverse("support:operator_calls"), form), reverse("support:operator_calls")
        )
        response = self.client.post(reverse("support:operator_calls"), {**form, "authority": 999_999})
        self.assertContains(response, "Choisissez une collectivité adhérente", status_code=400)
        response = self.client.post(reverse("support:operator_calls"), {**form, "duration_minutes": "-3"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(PhoneCall.objects.count(), 1)
        self.assertContains(self.client.get(reverse("support:operator_calls")), "Dotation")
