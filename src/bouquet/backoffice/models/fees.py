from django.db import models

from bouquet.backoffice.models.bands import TargetedRule, band_constraints
from bouquet.core.querysets import TenantQuerySet


class FeeRule(TargetedRule):
    """One line of the fee grid: the yearly fee of a module for a kind and population band.

    Dated rows: next year's price is one new row from 1 January (the older row stays for the
    past years). The grid applied to year N is the one in force on 1 January N.
    """

    operator = models.ForeignKey("core.Operator", on_delete=models.CASCADE, related_name="fee_rules")
    module = models.ForeignKey(
        "core.Module", on_delete=models.PROTECT, related_name="+", verbose_name="service"
    )
    amount = models.DecimalField("cotisation annuelle (€)", max_digits=10, decimal_places=2)
    label = models.CharField("libellé", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ligne de la grille des cotisations"
        ordering = ["module__code", "kind", "min_population", "-valid_from", "id"]
        constraints = [
            *band_constraints("feerule"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="feerule_amount_positive",
                violation_error_message="La cotisation ne peut pas être négative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.code} — {self.target_label} : {self.amount} € ({self.period_label})"


class FeeCall(models.Model):
    """A yearly fee call ("appel de cotisation") as issued: frozen, whatever the grid becomes later."""

    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="fee_calls")
    year = models.PositiveSmallIntegerField("année")
    number = models.CharField("numéro", max_length=20)
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    #: [{"module": "ACTES", "label": "…", "amount": "50.00"}, …]
    lines = models.JSONField("détail", default=list)
    issued_at = models.DateTimeField("émis le")
    issued_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "appel de cotisation"
        ordering = ["year", "number"]
        constraints = [models.UniqueConstraint(fields=["authority", "year"], name="one_fee_call_per_year")]

    def __str__(self) -> str:
        return f"{self.number} — {self.authority.name} : {self.amount} €"
