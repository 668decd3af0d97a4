"""A task for the scheduler tests (tasks must be importable by dotted path)."""

from django.tasks import task


@task
def heartbeat() -> str:
    return "ok"
