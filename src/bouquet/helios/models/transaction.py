from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.helios.choices import DocumentKind, SendState, Status
from bouquet.helios.querysets import TransactionQuerySet


class Transaction(models.Model):
    """One PES file sent to the DGFiP's Hélios (S²LOW ``helios_transactions``).

    The status only changes through ``bouquet.helios.workflow.change_status``, which writes the
    history row and the journal entry in the same database transaction. The file is stored byte for
    byte (``file.sha256`` is the SHA-256 of the bytes received and of the bytes sent).
    """

    authority = models.ForeignKey(
        "core.Authority", on_delete=models.PROTECT, related_name="helios_transactions"
    )
    status = models.SmallIntegerField("état", choices=Status.choices, db_index=True)
    kind = models.CharField(
        "type de fichier", max_length=20, choices=DocumentKind.choices, default=DocumentKind.PES_ALLER
    )
    filename = models.CharField("nom du fichier déposé", max_length=255)
    file = models.ForeignKey("helios.StoredFile", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("taille")
    # Values read from the PES (Enveloppe/Parametres and EnTetePES).
    nom_fic = models.CharField("NomFic", max_length=100)
    cod_col = models.CharField("CodCol", max_length=10)
    id_coll = models.CharField("IdColl (SIRET)", max_length=14, blank=True)
    id_post = models.CharField("IdPost (poste comptable)", max_length=10, blank=True)
    cod_bud = models.CharField("CodBud", max_length=10, blank=True)
    typ_fic = models.CharField("TypFic", max_length=20, blank=True)
    libelle_col_bud = models.CharField("libellé collectivité / budget", max_length=100, blank=True)
    #: What the intake found (warnings, schema parts checked, signatures and their signers).
    intake_report = models.JSONField("rapport de dépôt", default=dict, blank=True)
    # Transmission.
    transmitted_name = models.CharField(
        "nom transmis", max_length=60, blank=True, help_text="PESALR2_<SIREN>_<aammjj>_<compteur>.xml"
    )
    send_state = models.CharField(
        "envoi", max_length=10, choices=SendState.choices, default=SendState.WAITING
    )
    send_attempts = models.PositiveIntegerField("tentatives d'envoi", default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField("transmis le", null=True, blank=True)
    last_error = models.TextField("dernière erreur d'envoi", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("déposé le", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    last_status_at = models.DateTimeField("date du dernier état", default=timezone.now)
    # Operator staff were told it waited too long for transmission (once per transaction).
    stuck_alert_sent_at = models.DateTimeField(null=True, blank=True)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        verbose_name = "transaction HELIOS"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "last_status_at"], name="helios_tx_status_date"),
            models.Index(fields=["authority", "-created_at", "-id"], name="helios_tx_authority_recent"),
            models.Index(
                fields=["authority", "status", "-created_at", "-id"], name="helios_tx_authority_status"
            ),
            models.Index(fields=["-created_at", "-id"], name="helios_tx_recent"),
            models.Index(fields=["nom_fic"], name="helios_tx_nomfic"),
            models.Index(fields=["sha256"], name="helios_tx_sha256"),
        ]
        constraints = [
            # S²LOW: "ce fichier existe déjà sur la plateforme" (NomFic + CodCol, platform-wide) and
            # "doublon détecté" (same bytes); a cancelled transaction frees both.
            models.UniqueConstraint(
                fields=["nom_fic", "cod_col"],
                condition=~models.Q(status=Status.ANNULE),
                name="helios_nomfic_codcol_unique",
            ),
            models.UniqueConstraint(
                fields=["sha256"], condition=~models.Q(status=Status.ANNULE), name="helios_sha256_unique"
            ),
            models.UniqueConstraint(
                fields=["transmitted_name"],
                condition=~models.Q(transmitted_name=""),
                name="helios_transmitted_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"PES {self.nom_fic} ({self.get_status_display()})"

    @property
    def current_acquit(self):
        """The acquittement that gave the current state (the last one received), or None."""
        return self.acquits.order_by("-received_at", "-id").first()


class TransactionHistory(models.Model):
    """One status change (S²LOW ``helios_transactions_workflow``)."""

    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="history")
    status = models.SmallIntegerField("état", choices=Status.choices)
    at = models.DateTimeField("date", default=timezone.now)
    message = models.TextField("message")

    class Meta:
        verbose_name = "historique de transaction HELIOS"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.transaction_id} → {self.status}"
