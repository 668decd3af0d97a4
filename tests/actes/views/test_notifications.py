from django.utils.html import escape

from bouquet.actes.models.notifications import NotificationEvent, NotificationPreference
from bouquet.actes.notifications.notify import recipients
from bouquet.core.models import JournalEntry
from tests.web.html import assert_clean_page

from .helpers import ActesViewTestCase

URL = "/actes/notifications/"


class NotificationPreferencesTestCase(ActesViewTestCase):
    def test_it_requires_login(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/connexion/", response["Location"])

    def test_every_event_is_on_by_default(self):
        self.login(self.alice)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        assert_clean_page(self, response)
        html = response.content.decode()
        for event, label in NotificationEvent.choices:
            self.assertIn(f'value="{event}" id="event-{event}" checked', html)
            self.assertIn(escape(label), html)

    def test_turning_an_event_off_stops_that_mail_only_here_and_is_journaled(self):
        self.login(self.alice)
        kept = [e for e in NotificationEvent.values if e != NotificationEvent.AR_RECEIVED]
        response = self.client.post(URL, {"event": [*kept, "not-an-event"]}, follow=True)
        self.assertContains(response, "préférences de notification sont enregistrées")
        self.assertNotContains(
            response, f'value="{NotificationEvent.AR_RECEIVED}" id="event-ar_received" checked'
        )
        prefs = dict(
            NotificationPreference.objects.filter(user=self.alice, authority=self.authority_a).values_list(
                "event", "enabled"
            )
        )
        self.assertEqual(prefs[NotificationEvent.AR_RECEIVED], False)
        self.assertTrue(all(prefs[e] for e in kept))
        self.assertFalse(NotificationPreference.objects.exclude(authority=self.authority_a).exists())
        entry = JournalEntry.objects.get(action="actes.notifications.update")
        self.assertEqual(entry.details["changed"], {NotificationEvent.AR_RECEIVED: False})
        # The choice is what the mailer reads: alice no longer receives ARs, still anomalies.
        act = self.acknowledged()
        self.assertNotIn(self.alice, recipients(act, NotificationEvent.AR_RECEIVED))
        self.assertIn(self.alice, recipients(act, NotificationEvent.ANOMALY))

    def test_saving_the_same_choices_writes_no_journal_entry(self):
        self.login(self.alice)
        self.client.post(URL, {"event": NotificationEvent.values})
        self.assertFalse(JournalEntry.objects.filter(action="actes.notifications.update").exists())

    def test_get_only_or_post(self):
        self.login(self.alice)
        self.assertEqual(self.client.put(URL).status_code, 405)
