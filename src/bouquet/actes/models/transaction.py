from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.actes.choices import Nature, ResponseKind, Status, TransactionType
from bouquet.actes.querysets import TransactionQuerySet


class Transaction(models.Model):
    """An @ctes exchange about one act (S²LOW ``actes_transactions``): the act itself, a préfecture
    letter, an answer, a cancellation or a classification request.

    The status only changes through ``bouquet.actes.workflow.change_status``, which writes the
    history row and the journal entry in the same database transaction.
    """

    authority = models.ForeignKey(
        "core.Authority", on_delete=models.PROTECT, related_name="actes_transactions"
    )
    type = models.PositiveSmallIntegerField("type", choices=TransactionType.choices)
    status = models.SmallIntegerField("état", choices=Status.choices, db_index=True)
    nature = models.PositiveSmallIntegerField("nature", choices=Nature.choices, null=True, blank=True)
    number = models.CharField("numéro interne", max_length=15, blank=True)
    subject = models.CharField("objet", max_length=500, blank=True)
    decision_date = models.DateField("date de décision", null=True, blank=True)
    classification = models.CharField("classification", max_length=30, blank=True)
    classification_date = models.DateField("version de la classification", null=True, blank=True)
    document_papier = models.BooleanField("documents papier complémentaires", default=False)
    id_acte = models.CharField("identifiant unique (IDActe)", max_length=60, blank=True, db_index=True)
    related = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="transaction liée",
    )
    response_kind = models.PositiveSmallIntegerField(
        "type de réponse", choices=ResponseKind.choices, null=True, blank=True
    )
    # DateCourrierPref of a préfecture letter: answers and the 3-2/4-2 ARs repeat it.
    letter_date = models.DateField("date du courrier de la préfecture", null=True, blank=True)
    # The envelope that carried our message; for a received 3-1/4-1, the one of our 3-2/4-2 AR.
    envelope = models.ForeignKey(
        "actes.Envelope", on_delete=models.PROTECT, null=True, blank=True, related_name="transactions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    last_status_at = models.DateTimeField("date du dernier état", default=timezone.now)
    is_read = models.BooleanField("lu", default=False)
    # The operator staff were told it stayed unacknowledged too long (once per transaction).
    ack_alert_sent_at = models.DateTimeField(null=True, blank=True)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        verbose_name = "transaction ACTES"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["authority", "number", "type"]),
            models.Index(fields=["status", "last_status_at"]),
            # The lists (bouquet.actes.views): newest first within one authority, optionally one status;
            # the operator's list spans every member, newest first.
            models.Index(fields=["authority", "-created_at", "-id"], name="actes_tx_authority_recent"),
            models.Index(
                fields=["authority", "status", "-created_at", "-id"], name="actes_tx_authority_status"
            ),
            models.Index(fields=["-created_at", "-id"], name="actes_tx_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "number"],
                condition=models.Q(type=TransactionType.ACTE),
                name="actes_number_unique_per_authority",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number or self.pk} ({self.get_status_display()})"

    @property
    def codes_matiere(self) -> tuple[int, ...]:
        return tuple(int(code) for code in self.classification.split(".") if code)


class TransactionHistory(models.Model):
    """One status change (S²LOW ``actes_transactions_workflow``), with what the ministry sent."""

    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="history")
    status = models.SmallIntegerField("état", choices=Status.choices)
    at = models.DateTimeField("date", default=timezone.now)
    message = models.TextField("message")
    # The ministry XML that caused the change (S²LOW ``flux_retour``), byte for byte.
    received_xml = models.BinaryField(null=True, blank=True)
    schema_findings = models.JSONField("écarts au schéma", default=list, blank=True)

    class Meta:
        verbose_name = "historique de transaction"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.transaction_id} → {self.status}"
