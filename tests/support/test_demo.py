from django.test import TestCase
from django.utils import timezone

from bouquet.core.demo import load as load_core
from bouquet.support import demo
from bouquet.support.models import (
    AssistanceRequest,
    FaqEntry,
    OnDemandService,
    PhoneCall,
    Registration,
    RequestMessage,
    ServiceInterest,
    TrainingSession,
)
from bouquet.support.rules import slot_problems
from bouquet.support.services.common import slot_policy

MODELS = [
    TrainingSession,
    Registration,
    FaqEntry,
    OnDemandService,
    ServiceInterest,
    AssistanceRequest,
    RequestMessage,
    PhoneCall,
]


class DemoTestCase(TestCase):
    def test_it_loads_a_year_of_support_data_and_a_second_run_duplicates_nothing(self):
        load_core()
        (line,) = demo.load()
        self.assertIn("24 sessions de formation", line)
        counts = {model.__name__: model.objects.count() for model in MODELS}
        self.assertTrue(15 <= counts["FaqEntry"] <= 25)
        self.assertEqual(counts["OnDemandService"], 7)
        self.assertTrue(all(n for name, n in counts.items() if name != "PhoneCall"), counts)
        demo.load()
        self.assertEqual({model.__name__: model.objects.count() for model in MODELS}, counts)
        # Every session is on a usual slot, and no small group is over-booked.
        for session in TrainingSession.objects.all():
            with self.subTest(session=session):
                start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
                self.assertEqual(slot_problems(start, end, slot_policy()), [])
                self.assertLessEqual(
                    session.registrations.filter(status="confirmed").count(), session.capacity
                )
        self.assertTrue(Registration.objects.filter(status="waiting").exists())
