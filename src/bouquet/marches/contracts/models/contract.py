from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet
from bouquet.marches.contracts.choices import (
    CCAG_CHOICES,
    GROUPING_CHOICES,
    NATURE_CHOICES,
    PLACE_TYPE_CHOICES,
    PRICE_FORM_CHOICES,
    PROCEDURE_CHOICES,
    ContractStatus,
)
from bouquet.marches.contracts.querysets import ContractQuerySet


class Contract(models.Model):
    """A contract awarded on the platform: one per awarded lot (or per consultation without lots),
    with the essential data (données essentielles, DECP v2) the buyer must publish.

    Until publication the buyer completes the data freely; once published (``published_record``
    holds the record exactly as validated and published) the initial values never change again:
    changes go through :class:`ContractModification`, as the DECP rules require.
    """

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="contracts")
    consultation = models.ForeignKey(
        "marches.Consultation", on_delete=models.PROTECT, related_name="contracts"
    )
    lot = models.ForeignKey(
        "marches.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    decp_id = models.CharField(
        "identifiant du marché",
        max_length=16,
        help_text='Numéro interne du marché (1 à 16 caractères, sans espace ni & " \\ < , ;).',
    )
    buyer_siret = models.CharField("SIRET de l'acheteur", max_length=14)
    nature = models.CharField("nature", max_length=40, choices=NATURE_CHOICES, default="Marché")
    object = models.CharField("objet", max_length=1000)
    cpv = models.CharField("code CPV principal", max_length=10)
    procedure = models.CharField("procédure", max_length=70, choices=PROCEDURE_CHOICES)
    techniques = models.JSONField("techniques d'achat", default=list, blank=True)
    execution_modes = models.JSONField("modalités d'exécution", default=list, blank=True)
    framework_id = models.CharField("identifiant de l'accord-cadre", max_length=16, blank=True)
    innovative = models.BooleanField("marché innovant", default=False)
    ccag = models.CharField("CCAG de référence", max_length=60, choices=CCAG_CHOICES, blank=True)
    offers_received = models.PositiveIntegerField("nombre d'offres reçues", null=True, blank=True)
    advance_granted = models.BooleanField("avance attribuée", default=False)
    advance_rate = models.DecimalField(
        "taux de l'avance (0 à 1)", max_digits=5, decimal_places=4, null=True, blank=True
    )
    grouping_type = models.CharField(
        "groupement d'opérateurs", max_length=20, choices=GROUPING_CHOICES, default="Pas de groupement"
    )
    place_code = models.CharField("code du lieu d'exécution", max_length=10, blank=True)
    place_code_type = models.CharField(
        "type de code du lieu", max_length=25, choices=PLACE_TYPE_CHOICES, default="Code commune"
    )
    duration_months = models.PositiveSmallIntegerField("durée (mois)", null=True, blank=True)
    notified_on = models.DateField("date de notification")
    amount_ht = models.DecimalField("montant (€ HT)", max_digits=14, decimal_places=2)
    price_types = models.JSONField("types de prix", default=list, blank=True)
    price_form = models.CharField("forme du prix", max_length=15, choices=PRICE_FORM_CHOICES, blank=True)
    subcontracting_declared = models.BooleanField("sous-traitance déclarée", default=False)
    social_considerations = models.JSONField("considérations sociales", default=list, blank=True)
    environmental_considerations = models.JSONField(
        "considérations environnementales", default=list, blank=True
    )
    origin_eu = models.DecimalField(
        "part des produits de l'UE (0 à 1)", max_digits=5, decimal_places=4, null=True, blank=True
    )
    origin_france = models.DecimalField(
        "part des produits français (0 à 1)", max_digits=5, decimal_places=4, null=True, blank=True
    )
    # [{"id": "73282932000074", "type": "SIRET", "name": "Toitures de Bourgogne"}, ...]
    holders = models.JSONField("titulaires", default=list)
    execution_ended_on = models.DateField("fin d'exécution constatée", null=True, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=ContractStatus.choices, default=ContractStatus.DRAFT, db_index=True
    )
    published_on = models.DateField("date de publication des données", null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The DECP JSON object exactly as validated and published (initial data and published modifications).
    published_record = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "contrat"
        ordering = ["-notified_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "lot"],
                condition=models.Q(lot__isnull=False),
                name="contracts_one_per_lot",
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(lot__isnull=True),
                name="contracts_one_per_consultation",
            ),
            # National uniqueness of a DECP record: buyer SIRET + identifier.
            models.UniqueConstraint(fields=["buyer_siret", "decp_id"], name="contracts_decp_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.decp_id} — {self.object[:80]}"

    @property
    def is_published(self) -> bool:
        return self.status == ContractStatus.PUBLISHED

    @property
    def holder_label(self) -> str:
        return ", ".join(h.get("name") or h.get("id", "") for h in self.holders)

    @property
    def lot_label(self) -> str:
        return f"Lot {self.lot.number}" if self.lot_id else "Marché unique"


class ContractModification(models.Model):
    """A modification (avenant) of a contract: only what it changes (amount, duration, holders),
    its dates, and whether its data are published (then it is never edited again)."""

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="modifications")
    number = models.PositiveSmallIntegerField("numéro")
    reason = models.TextField("objet de la modification")
    signed_on = models.DateField("date de signature", null=True, blank=True)
    notified_on = models.DateField("date de notification")
    duration_months = models.PositiveSmallIntegerField("nouvelle durée (mois)", null=True, blank=True)
    amount_ht = models.DecimalField(
        "nouveau montant (€ HT)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    holders = models.JSONField("nouveaux titulaires", default=list, blank=True)
    published_on = models.DateField("date de publication des données", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "modification de contrat"
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contracts_modification_number"),
        ]

    def __str__(self) -> str:
        return f"Modification n° {self.number}"
