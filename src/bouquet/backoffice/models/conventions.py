from django.db import models

from bouquet.backoffice.choices import ConventionFileKind, ConventionKind, ConventionModule, ConventionStatus
from bouquet.core.querysets import TenantQuerySet


class Convention(models.Model):
    """A convention with the préfecture (ACTES) or the DGFiP (HELIOS), or an amendment (avenant) to one.

    ACTES sending needs a signed convention (not an amendment) in force: ``gates.actes_convention_refusal``.
    """

    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="conventions")
    module = models.CharField("flux", max_length=10, choices=ConventionModule.choices)
    kind = models.CharField(
        "type", max_length=10, choices=ConventionKind.choices, default=ConventionKind.CONVENTION
    )
    amends = models.ForeignKey(
        "self",
        verbose_name="convention modifiée",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    subject = models.CharField("objet", max_length=300)
    reference = models.CharField("référence de la préfecture", max_length=100, blank=True)
    status = models.CharField(
        "état", max_length=12, choices=ConventionStatus.choices, default=ConventionStatus.TO_PREPARE
    )
    sent_on = models.DateField("envoyée le", null=True, blank=True)
    signed_on = models.DateField("signée le", null=True, blank=True)
    effective_from = models.DateField("en vigueur à partir du", null=True, blank=True)
    effective_until = models.DateField("en vigueur jusqu'au", null=True, blank=True)
    notes = models.TextField("notes", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "convention"
        ordering = ["authority__name", "module", "created_at", "id"]
        indexes = [models.Index(fields=["authority", "module", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="signed")
                | models.Q(signed_on__isnull=False, effective_from__isnull=False),
                name="signed_convention_has_dates",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_from__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="convention_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.module} — {self.authority.name}"


class ConventionEvent(models.Model):
    """One change of a convention's status (its history), with the date the user gave for it."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="events")
    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="+")
    from_status = models.CharField("ancien état", max_length=12, choices=ConventionStatus.choices, blank=True)
    to_status = models.CharField("nouvel état", max_length=12, choices=ConventionStatus.choices)
    on = models.DateField("date")
    message = models.CharField("commentaire", max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    actor_label = models.CharField("par", max_length=300)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "évènement de convention"
        ordering = ["convention", "at", "id"]

    def __str__(self) -> str:
        return f"{self.convention} : {self.get_to_status_display()}"


class ConventionFile(models.Model):
    """A PDF kept with a convention (draft, signed copy). Stored under a name we choose, never the user's."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="files")
    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("nature", max_length=10, choices=ConventionFileKind.choices)
    original_name = models.CharField("nom du fichier", max_length=150)
    path = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("taille")
    uploaded_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "fichier de convention"
        ordering = ["convention", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
