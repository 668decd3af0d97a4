from django.db import models
from django.utils import timezone

from bouquet.core.choices import ModuleCode
from bouquet.core.querysets import TenantQuerySet


class Module(models.Model):
    """A service of the bouquet (ACTES, HELIOS, MARCHES…) that authorities subscribe to."""

    code = models.CharField(max_length=20, unique=True, choices=ModuleCode.choices)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "module"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SubscriptionQuerySet(TenantQuerySet):
    def current(self, on=None) -> "SubscriptionQuerySet":
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )


class Subscription(models.Model):
    """An authority's subscription to a module, between two dates (end open when ongoing)."""

    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="subscriptions")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="subscriptions")
    start_date = models.DateField("début")
    end_date = models.DateField("fin", null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "abonnement"
        ordering = ["authority", "module", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="subscription_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} — {self.module}"
