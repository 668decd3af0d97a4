from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet
from bouquet.support.choices import ServiceStatus


class OnDemandService(models.Model):
    """A service the operator may open once enough members ask for it (``threshold`` authorities)."""

    operator = models.ForeignKey("core.Operator", on_delete=models.PROTECT, related_name="on_demand_services")
    code = models.SlugField("code", max_length=50)
    name = models.CharField("nom", max_length=200)
    summary = models.CharField("en une phrase", max_length=300)
    description = models.TextField("description", blank=True)
    threshold = models.PositiveSmallIntegerField("seuil d'ouverture (collectivités)")
    status = models.CharField(
        "état", max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.PROPOSED
    )
    position = models.PositiveSmallIntegerField("ordre", default=100)
    opened_at = models.DateTimeField("ouvert le", null=True, blank=True)
    opened_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "service à la demande"
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "code"], name="service_code_unique_per_operator"),
            models.CheckConstraint(condition=models.Q(threshold__gte=1), name="service_threshold_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == ServiceStatus.OPEN


class ServiceInterest(models.Model):
    """An authority's request that a service be opened; withdrawn rows stay as history.

    ``notified_at`` is set, in the transaction that opens the service, for each interest whose
    authority is told: a second opening never tells it twice.
    """

    service = models.ForeignKey(OnDemandService, on_delete=models.PROTECT, related_name="interests")
    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notified_at = models.DateTimeField("prévenu de l'ouverture le", null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "intérêt pour un service"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "authority"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_interest_per_authority",
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} → {self.service}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
