from django.db import models

from bouquet.backoffice.choices import MembershipStatus
from bouquet.core.querysets import TenantQuerySet


class MembershipStatusChange(models.Model):
    """One dated step of an authority's membership (prospect, adhérent…): the rows are its history.

    The status on a date is the row with the latest ``effective_date`` not after it.
    """

    authority = models.ForeignKey(
        "core.Authority", on_delete=models.CASCADE, related_name="membership_statuses"
    )
    status = models.CharField("statut", max_length=10, choices=MembershipStatus.choices)
    effective_date = models.DateField("date d'effet")
    note = models.CharField("commentaire", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "statut d'adhésion"
        ordering = ["authority", "effective_date", "id"]
        indexes = [models.Index(fields=["authority", "effective_date", "id"])]

    def __str__(self) -> str:
        return f"{self.authority.name} : {self.get_status_display()} au {self.effective_date:%d/%m/%Y}"
