from django.db import models

from bouquet.core.choices import AuthorityKind, AuthorityStatus
from bouquet.core.querysets import AuthorityQuerySet, TenantQuerySet
from bouquet.core.validators import (
    validate_arrondissement,
    validate_departement,
    validate_siren,
    validate_siret,
)


class Operator(models.Model):
    """The opérateur de mutualisation that runs this platform for its members."""

    name = models.CharField("nom", max_length=200)
    legal_nature = models.CharField("nature juridique", max_length=200)
    address = models.TextField("adresse postale")
    phone = models.CharField("téléphone", max_length=30)
    email = models.EmailField("courriel")

    class Meta:
        verbose_name = "opérateur de mutualisation"

    def __str__(self) -> str:
        return self.name


class Authority(models.Model):
    """A member collectivité or établissement, identified by its SIREN (the tenant of every record)."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="authorities")
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature (code @ctes)", max_length=2, choices=AuthorityKind.choices)
    siren = models.CharField("SIREN", max_length=9, unique=True, validators=[validate_siren])
    departement = models.CharField("département", max_length=3, validators=[validate_departement])
    arrondissement = models.CharField("arrondissement", max_length=1, validators=[validate_arrondissement])
    population = models.PositiveIntegerField("population", null=True, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=AuthorityStatus.choices, default=AuthorityStatus.ACTIVE
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="EPCI de rattachement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = "collectivité"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.siren})"

    @property
    def is_active(self) -> bool:
        return self.status == AuthorityStatus.ACTIVE


class Siret(models.Model):
    """An establishment (budget) of an authority; a SIRET starts with the authority's SIREN."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="sirets")
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    label = models.CharField("libellé", max_length=200, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "établissement (SIRET)"
        ordering = ["siret"]

    def __str__(self) -> str:
        return self.siret
