from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.core.validators import validate_siret
from bouquet.marches.choices import NEGOTIABLE_PROCEDURES, Kind, PlaceCodeType, Procedure, Status
from bouquet.marches.errors import WorkflowError
from bouquet.marches.querysets import ConsultationQuerySet
from bouquet.marches.validators import validate_cpv


class Consultation(models.Model):
    """A call for competition published by one member authority (the buyer) on its profil d'acheteur.

    The status only changes through ``bouquet.marches.workflow.change_status`` (history row and
    journal entry in the same transaction). Once published it stays on this platform until its end:
    its authority and reference never change.
    """

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="consultations")
    buyer_siret = models.CharField("SIRET de l'acheteur", max_length=14, validators=[validate_siret])
    reference = models.CharField("référence", max_length=16)
    object = models.CharField("objet", max_length=1000)
    procedure = models.CharField("procédure", max_length=20, choices=Procedure.choices)
    kind = models.CharField("type de marché", max_length=10, choices=Kind.choices)
    cpv_main = models.CharField("code CPV principal", max_length=10, validators=[validate_cpv])
    cpv_additional = models.JSONField("codes CPV complémentaires", default=list, blank=True)
    execution_place = models.CharField("lieu d'exécution", max_length=200)
    execution_place_code = models.CharField("code du lieu d'exécution", max_length=10, blank=True)
    execution_place_code_type = models.CharField(
        "type de code du lieu", max_length=25, choices=PlaceCodeType.choices, default=PlaceCodeType.COMMUNE
    )
    estimated_amount = models.DecimalField("montant estimé (€ HT)", max_digits=14, decimal_places=2)
    duration_months = models.PositiveSmallIntegerField("durée (mois)", null=True, blank=True)
    notice_text = models.TextField("texte de l'avis", blank=True)
    # Aware datetimes (stored in UTC, shown in Europe/Paris).
    published_at = models.DateTimeField("date de publication", null=True, blank=True)
    question_deadline = models.DateTimeField("date limite des questions", null=True, blank=True)
    bid_deadline = models.DateTimeField("date limite de remise des plis", null=True, blank=True)
    status = models.CharField(
        "état", max_length=15, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField("date du dernier état", default=timezone.now)
    status_reason = models.TextField("motif", blank=True)
    is_test = models.BooleanField("consultation de test (entraînement au dépôt)", default=False)
    # Incremented at each published modification of the notice or of the DCE.
    version = models.PositiveIntegerField("version", default=0)
    relaunched_from = models.ForeignKey(
        "self",
        verbose_name="relance de",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relaunches",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "consultation"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"], name="marches_reference_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "bid_deadline"], name="marches_status_deadline"),
            models.Index(fields=["authority", "-created_at"], name="marches_authority_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.object[:80]}"

    def save(self, *args, **kwargs):
        """A consultation launched here ends here: once published it never changes buyer."""
        loaded = getattr(self, "_loaded_authority_id", None)
        if loaded is not None and loaded != self.authority_id and self.status != Status.DRAFT:
            raise WorkflowError("Une consultation publiée ne peut pas changer d'acheteur.")
        super().save(*args, **kwargs)
        self._loaded_authority_id = self.authority_id

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance._loaded_authority_id = instance.__dict__.get("authority_id")
        return instance

    @property
    def is_published(self) -> bool:
        return self.status != Status.DRAFT and self.published_at is not None

    @property
    def is_editable(self) -> bool:
        """Free edition (draft); published ones change only through versioned modifications."""
        return self.status == Status.DRAFT

    def deadline_passed(self, now=None) -> bool:
        return self.bid_deadline is not None and (now or timezone.now()) >= self.bid_deadline

    def is_open_for_bids(self, now=None) -> bool:
        return self.status == Status.PUBLISHED and not self.deadline_passed(now)

    def accepts_questions(self, now=None) -> bool:
        now = now or timezone.now()
        deadline = self.question_deadline or self.bid_deadline
        return self.status == Status.PUBLISHED and deadline is not None and now < deadline

    @property
    def allows_negotiation(self) -> bool:
        return self.procedure in NEGOTIABLE_PROCEDURES

    @property
    def cpv_codes(self) -> list[str]:
        return [self.cpv_main, *self.cpv_additional]

    @property
    def is_allotted(self) -> bool:
        return self.lots.exists()


class Lot(models.Model):
    """A lot of a consultation: a separate contract, with its own deposits, award and DECP record.

    A consultation without lots is a single contract (the bids and contracts apps then use
    ``lot=None``).
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField("numéro")
    object = models.CharField("objet", max_length=1000)
    cpv = models.CharField("code CPV", max_length=10, validators=[validate_cpv])
    estimated_amount = models.DecimalField(
        "montant estimé (€ HT)", max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "lot"
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="marches_lot_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.number} — {self.object[:80]}"
