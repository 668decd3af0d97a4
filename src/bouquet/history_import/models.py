"""What an import brought in, so that a second run brings nothing twice and imported items stay
recognisable (read-only, flagged) among the platform's own."""

from django.db import models

from bouquet.core.querysets import TenantQuerySet

IMPORT_ACTOR = "reprise de l'historique"


class ItemKind(models.TextChoices):
    AUTHORITY = "authority", "Collectivité"
    USER = "user", "Utilisateur"
    ACTE = "acte", "Transaction ACTES"
    PES = "pes", "Transaction HELIOS"


class ImportRun(models.Model):
    source = models.CharField("dossier importé", max_length=500)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField("rapport", default=dict, blank=True)

    class Meta:
        verbose_name = "reprise d'historique"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.started_at:%d/%m/%Y %H:%M})"


class ImportedItem(models.Model):
    """One item of the previous operator's export, keyed by its id there: the idempotency key."""

    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    source_id = models.CharField("identifiant d'origine", max_length=64)
    object_id = models.BigIntegerField()
    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="+", null=True)
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="items")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "élément importé"
        constraints = [models.UniqueConstraint(fields=["kind", "source_id"], name="import_once")]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id}"


def is_imported(kind: str, object_id: int) -> bool:
    """True for an item that came from the previous operator (it is then read-only)."""
    return ImportedItem.objects.filter(kind=kind, object_id=object_id).exists()
