from django.db import models


class PeriodicRun(models.Model):
    """When a periodic task was last enqueued; the conditional update on it elects one scheduler."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tâche périodique"

    def __str__(self) -> str:
        return self.name
