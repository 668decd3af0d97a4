from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet
from bouquet.marches.bids.choices import AwardOutcome


class Award(models.Model):
    """The decision on one lot (or on a consultation without lots): awarded to one deposit, or
    unsuccessful. Rejection letters and the notification are ``Message`` rows linked to it."""

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey("marches.Consultation", on_delete=models.PROTECT, related_name="awards")
    lot = models.ForeignKey("marches.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField("décision", max_length=15, choices=AwardOutcome.choices)
    deposit = models.ForeignKey(
        "marches_bids.Deposit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    company = models.ForeignKey(
        "marches.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount_ht = models.DecimalField("montant (€ HT)", max_digits=14, decimal_places=2, null=True, blank=True)
    reasons = models.TextField("motifs")
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    standstill_days = models.PositiveSmallIntegerField("délai de suspension (jours)", null=True, blank=True)
    standstill_until = models.DateTimeField("fin du délai de suspension", null=True, blank=True)
    notified_at = models.DateTimeField("notification envoyée le", null=True, blank=True)
    notification_received_at = models.DateTimeField("notification reçue le", null=True, blank=True)
    contract_opened = models.BooleanField("données du contrat créées", default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "attribution"
        ordering = ["consultation", "lot__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "lot"], condition=models.Q(lot__isnull=False), name="bids_award_lot"
            ),
            models.UniqueConstraint(
                fields=["consultation"], condition=models.Q(lot__isnull=True), name="bids_award_single"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} — {self.lot or self.consultation}"

    @property
    def lot_label(self) -> str:
        return f"Lot {self.lot.number} — {self.lot.object}" if self.lot_id else "Marché unique"


class AwardNotice(models.Model):
    """The award notice ("avis d'attribution") published on the consultation's public page."""

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    consultation = models.OneToOneField(
        "marches.Consultation", on_delete=models.PROTECT, related_name="award_notice"
    )
    text = models.TextField("texte de l'avis")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "avis d'attribution"

    def __str__(self) -> str:
        return f"Avis d'attribution — {self.consultation}"
