from django.db import models

from bouquet.backoffice.models.bands import TargetedRule, band_constraints
from bouquet.core.querysets import TenantQuerySet


class AidRule(TargetedRule):
    """An aid and who may receive it (e.g. the 1 000 € « dotation socle » for communes under 5 000).

    Eligible on a date: the aid is in force, the authority is an adhérent then, matches the kind
    and band, and holds the required service subscription if one is named.
    """

    operator = models.ForeignKey("core.Operator", on_delete=models.CASCADE, related_name="aid_rules")
    name = models.CharField("nom de l'aide", max_length=200)
    purpose = models.TextField("objet", blank=True)
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    required_module = models.ForeignKey(
        "core.Module",
        verbose_name="service requis",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide : aucun abonnement particulier.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "aide"
        ordering = ["-valid_from", "name", "id"]
        constraints = [
            *band_constraints("aidrule"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="aidrule_amount_positive",
                violation_error_message="Le montant de l'aide doit être positif.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AidPayment(models.Model):
    """An amount of an aid paid to a member, and when."""

    aid = models.ForeignKey(AidRule, on_delete=models.PROTECT, related_name="payments")
    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="aid_payments")
    amount = models.DecimalField("montant versé (€)", max_digits=10, decimal_places=2)
    paid_on = models.DateField("versé le")
    reference = models.CharField("référence (mandat, titre…)", max_length=100, blank=True)
    note = models.CharField("commentaire", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "versement d'aide"
        ordering = ["aid", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="aidpayment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.aid} — {self.authority.name} : {self.amount} €"
