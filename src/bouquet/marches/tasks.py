"""Background jobs of the procurement platform (Django tasks)."""

from django.tasks import task

from bouquet.marches.services.close_due import close_due_consultations

__all__ = ["close_due"]


@task()
def close_due() -> int:
    """Close the published consultations whose bid deadline has passed; idempotent."""
    return close_due_consultations()
