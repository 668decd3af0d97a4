from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.test import TestCase, override_settings
from django_tasks_db.models import DBTaskResult

from bouquet.core.scheduler import tick

PARIS = ZoneInfo("Europe/Paris")
TASK = "tests.core.periodic_fixture.heartbeat"


@override_settings(PERIODIC_TASKS=[{"name": "heartbeat", "task": TASK, "at": "06:00"}])
class SchedulerTestCase(TestCase):
    def enqueued(self) -> int:
        return DBTaskResult.objects.filter(task_path=TASK).count()

    def test_it_enqueues_once_a_day_at_or_after_the_hour(self):
        self.assertEqual(tick(datetime(2026, 11, 27, 5, 59, tzinfo=PARIS)), [])
        self.assertEqual(tick(datetime(2026, 11, 27, 6, 0, tzinfo=PARIS)), ["heartbeat"])
        self.assertEqual(tick(datetime(2026, 11, 27, 23, 0, tzinfo=PARIS)), [])
        self.assertEqual(self.enqueued(), 1)
        self.assertEqual(tick(datetime(2026, 11, 28, 7, 30, tzinfo=PARIS)), ["heartbeat"])
        self.assertEqual(self.enqueued(), 2)

    def test_a_second_scheduler_with_a_stale_view_does_not_enqueue_again(self):
        tick(datetime(2026, 11, 27, 6, 0, tzinfo=PARIS))
        # A racing scheduler that read the row before the first claimed it would update 0 rows.
        from bouquet.core.models import PeriodicRun

        claimed = PeriodicRun.objects.filter(name="heartbeat", last_enqueued_at=None).update(
            last_enqueued_at=datetime(2026, 11, 27, 6, 0, 1, tzinfo=PARIS)
        )
        self.assertEqual(claimed, 0)
        self.assertEqual(self.enqueued(), 1)

    def test_the_command_runs_one_pass(self):
        out = StringIO()
        call_command("scheduler", "--once", stdout=out)
        # Whatever the hour of the test run, a second pass the same day enqueues nothing more.
        before = self.enqueued()
        call_command("scheduler", "--once", stdout=StringIO())
        self.assertEqual(self.enqueued(), before)
