"""A tiny periodic scheduler: Django tasks have no cron, so `bouquet scheduler` enqueues due tasks.

Each entry of ``settings.PERIODIC_TASKS`` runs once a day at or after ``at`` (local time). The
enqueue is claimed with a conditional UPDATE on ``PeriodicRun``, so two schedulers running side
by side, or a scheduler restarted mid-tick, never enqueue the same day's run twice.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from bouquet.core.models import PeriodicRun

__all__ = ["PeriodicTask", "configured_tasks", "tick"]


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    task: str  # dotted path of a django.tasks Task
    at: time


def configured_tasks() -> list[PeriodicTask]:
    return [
        PeriodicTask(entry["name"], entry["task"], time.fromisoformat(entry.get("at", "06:00")))
        for entry in settings.PERIODIC_TASKS
    ]


def _due(task: PeriodicTask, last: datetime | None, now: datetime) -> bool:
    local_now = timezone.localtime(now)
    if local_now.time() < task.at:
        return False
    return last is None or timezone.localtime(last).date() < local_now.date()


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every task that is due; return the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for task in configured_tasks():
        run, _ = PeriodicRun.objects.get_or_create(name=task.name)
        if not _due(task, run.last_enqueued_at, now):
            continue
        with transaction.atomic():
            claimed = PeriodicRun.objects.filter(pk=run.pk, last_enqueued_at=run.last_enqueued_at).update(
                last_enqueued_at=now
            )
            if claimed:
                import_string(task.task).enqueue()
                enqueued.append(task.name)
    return enqueued
