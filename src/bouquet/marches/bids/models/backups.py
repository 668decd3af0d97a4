from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet
from bouquet.marches.bids.choices import BackupOpenReason, BackupState


class BackupCopy(models.Model):
    """A backup copy ("copie de sauvegarde") received on paper or on a physical medium (art.
    R2132-11 CCP). Opened only for one of the reasons of :class:`BackupOpenReason`, if it arrived
    before the deadline; otherwise destroyed unopened."""

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(
        "marches.Consultation", on_delete=models.PROTECT, related_name="backup_copies"
    )
    company_name = models.CharField("entreprise", max_length=200)
    company_siret = models.CharField("SIRET", max_length=14, blank=True)
    medium = models.CharField("support", max_length=100)
    received_at = models.DateTimeField("reçue le")
    state = models.CharField("état", max_length=10, choices=BackupState.choices, default=BackupState.UNOPENED)
    open_reason = models.CharField(
        "motif d'ouverture", max_length=15, choices=BackupOpenReason.choices, blank=True
    )
    open_details = models.TextField("précisions", blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField("observations", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "copie de sauvegarde"
        ordering = ["consultation", "received_at", "id"]

    def __str__(self) -> str:
        return f"Copie de sauvegarde de {self.company_name}"

    @property
    def arrived_on_time(self) -> bool:
        deadline = self.consultation.bid_deadline
        return deadline is None or self.received_at <= deadline
