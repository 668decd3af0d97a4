from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.core.validators import validate_siret


class Company(models.Model):
    """An economic operator (entreprise) answering consultations; not a member of the operator,
    so not a tenant: its data is its own, reached through ``CompanyMembership``."""

    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    name = models.CharField("raison sociale", max_length=200)
    address = models.TextField("adresse")
    postal_code = models.CharField("code postal", max_length=10)
    city = models.CharField("commune", max_length=100)
    email = models.EmailField("courriel de contact")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "entreprise"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.siret})"


class CompanyMembership(models.Model):
    """A core ``User`` acting for a company. Company users log in with the same e-mail/password
    login as agents; they hold no authority membership, so they never see member pages."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Administrateur du compte entreprise"
        MEMBER = "member", "Collaborateur"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_memberships"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=10, choices=Role.choices, default=Role.ADMIN)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "compte entreprise"
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="marches_one_company_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company.name}"
