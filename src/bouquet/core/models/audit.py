from django.db import models

from bouquet.core.choices import ActorKind


class JournalEntry(models.Model):
    """One line of the append-only audit journal; each entry's hash covers the previous one.

    Foreign keys are PROTECT so that no deletion elsewhere rewrites a journal row.
    """

    at = models.DateTimeField("date")
    actor_kind = models.CharField("type d'acteur", max_length=12, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("acteur", max_length=300)
    authority = models.ForeignKey(
        "core.Authority", on_delete=models.PROTECT, null=True, blank=True, related_name="journal"
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField("type d'objet", max_length=100, blank=True)
    object_id = models.CharField("identifiant d'objet", max_length=100, blank=True)
    details = models.JSONField("détails", default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "entrée du journal"
        ordering = ["id"]
        indexes = [models.Index(fields=["authority", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Le journal d'audit n'accepte aucune modification.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Le journal d'audit n'accepte aucune suppression.")


class JournalHead(models.Model):
    """The chain's tip (single row): serialises writers and lets verify notice truncation."""

    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} entrées, tête {self.last_hash[:12]}…"
