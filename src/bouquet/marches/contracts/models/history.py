from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet


class ImportedConsultationQuerySet(TenantQuerySet):
    def search(self, text: str) -> "ImportedConsultationQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(reference__icontains=text)
            | models.Q(object__icontains=text)
            | models.Q(holder_name__icontains=text)
            | models.Q(holder_siret__startswith=text)
            | models.Q(cpv__startswith=text)
        )


class ImportedConsultation(models.Model):
    """A past consultation (or one of its lots) imported from a previous platform's Excel export.

    Read-only history: nothing on the platform changes it after the import, and it is always shown
    as imported. ``(authority, reference, lot)`` is its natural key, so importing the same file
    twice adds nothing.
    """

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField("référence", max_length=100)
    lot = models.CharField("lot", max_length=100, blank=True, default="")
    object = models.TextField("objet")
    lot_object = models.TextField("objet du lot", blank=True)
    procedure = models.CharField("procédure", max_length=200, blank=True)
    kind = models.CharField("type de marché", max_length=100, blank=True)
    cpv = models.CharField("code CPV", max_length=20, blank=True)
    status = models.CharField("état", max_length=100, blank=True)
    published_on = models.DateField("date de publication", null=True, blank=True)
    bid_deadline = models.DateTimeField("date limite de remise des plis", null=True, blank=True)
    offers_received = models.PositiveIntegerField("offres reçues", null=True, blank=True)
    estimated_amount = models.DecimalField(
        "montant estimé (€ HT)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    awarded_on = models.DateField("date d'attribution", null=True, blank=True)
    notified_on = models.DateField("date de notification", null=True, blank=True)
    holder_name = models.CharField("attributaire", max_length=300, blank=True)
    holder_siret = models.CharField("SIRET de l'attributaire", max_length=14, blank=True)
    amount_ht = models.DecimalField(
        "montant attribué (€ HT)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    duration_months = models.PositiveSmallIntegerField("durée (mois)", null=True, blank=True)
    # Columns of the export that have no place above, kept as they were ("En-tête" → value).
    extra = models.JSONField("autres colonnes", default=dict, blank=True)
    source_name = models.CharField("fichier d'origine", max_length=255)
    source_sha256 = models.CharField(max_length=64)
    source_sheet = models.CharField("feuille", max_length=100)
    source_row = models.PositiveIntegerField("ligne")
    imported_at = models.DateTimeField("importée le", default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ImportedConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "consultation importée"
        ordering = ["-published_on", "reference", "lot"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "reference", "lot"], name="contracts_imported_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}{f' — lot {self.lot}' if self.lot else ''} (importée)"

    @property
    def is_imported(self) -> bool:
        """Always true: the flag the pages and exports show."""
        return True
