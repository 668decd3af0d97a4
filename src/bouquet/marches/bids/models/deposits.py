import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet
from bouquet.marches.bids.choices import DepositStatus, EnvelopeKind

GENESIS = "0" * 64


class DepositQuerySet(TenantQuerySet):
    def received(self) -> "DepositQuerySet":
        return self.filter(status=DepositStatus.RECEIVED)

    def on_time(self) -> "DepositQuerySet":
        return self.received().filter(is_late=False)

    def of_company_user(self, user) -> "DepositQuerySet":
        """Deposits of the companies the user acts for (the company side's only scope)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(company__memberships__user=user, company__memberships__is_active=True).distinct()


class Deposit(models.Model):
    """One deposit (pli) of a company on a consultation: a candidature and offers per lot.

    ``received_at`` is the time that counts: the server's clock when the upload ended with the
    company's explicit validation. A company may deposit several times; the last deposit received
    before the deadline is the one opened, and all are kept. A late deposit is kept, marked
    ``is_late``, and never opened.
    """

    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(
        "marches.Consultation", on_delete=models.PROTECT, related_name="deposits"
    )
    company = models.ForeignKey("marches.Company", on_delete=models.PROTECT, related_name="deposits")
    depositor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "état", max_length=10, choices=DepositStatus.choices, default=DepositStatus.UPLOADING
    )
    number = models.PositiveIntegerField("numéro d'ordre", null=True, blank=True)
    is_test = models.BooleanField("dépôt d'entraînement", default=False)
    declared_size = models.BigIntegerField("taille annoncée")
    started_at = models.DateTimeField("début de l'envoi", default=timezone.now)
    last_byte_at = models.DateTimeField("dernier octet reçu", null=True, blank=True)
    received_at = models.DateTimeField("date et heure de réception", null=True, blank=True)
    is_late = models.BooleanField("hors délai", default=False)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ack_sent_at = models.DateTimeField("accusé de réception envoyé le", null=True, blank=True)
    ack_sha256 = models.CharField("empreinte de l'accusé de réception", max_length=64, blank=True)
    # Head of this deposit's evidence chain (each EvidenceEvent hashes the previous one).
    evidence_head = models.CharField(max_length=64, default=GENESIS)
    evidence_count = models.PositiveIntegerField(default=0)

    objects = DepositQuerySet.as_manager()

    class Meta:
        verbose_name = "dépôt"
        ordering = ["consultation", "started_at", "id"]
        indexes = [models.Index(fields=["consultation", "status"], name="bids_deposit_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"],
                condition=models.Q(number__isnull=False),
                name="bids_deposit_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Pli {self.number or '—'} de {self.company.name}"

    @property
    def is_received(self) -> bool:
        return self.status == DepositStatus.RECEIVED


class Envelope(models.Model):
    """A part of a deposit opened on its own: the candidature, or the offer for one lot
    (``lot`` empty when the consultation has no lots)."""

    deposit = models.ForeignKey(Deposit, on_delete=models.CASCADE, related_name="envelopes")
    kind = models.CharField("nature", max_length=12, choices=EnvelopeKind.choices)
    lot = models.ForeignKey("marches.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField("ouverte le", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "enveloppe"
        ordering = ["deposit", "kind", "lot__number"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == EnvelopeKind.CANDIDATURE:
            return "Candidature"
        return f"Offre — lot {self.lot.number}" if self.lot_id else "Offre"

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None


class DepositFile(models.Model):
    """A file of an envelope, stored as sealed pieces. ``hash_state`` carries the SHA-256 of the
    plaintext from one piece to the next (no plaintext byte); ``sha256`` is final once complete."""

    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("nom", max_length=255)
    size = models.BigIntegerField("taille")
    received = models.BigIntegerField("octets reçus", default=0)
    pieces = models.PositiveIntegerField("morceaux reçus", default=0)
    hash_state = models.BinaryField(default=b"", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # After opening: integrity of the decrypted content and the verdict on its signatures.
    checked_at = models.DateTimeField(null=True, blank=True)
    integrity_ok = models.BooleanField(null=True, blank=True)
    signature = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "fichier déposé"
        ordering = ["envelope", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Piece(models.Model):
    """One received piece of a file, sealed (HPKE) in the file storage under ``storage_name``."""

    file = models.ForeignKey(DepositFile, on_delete=models.CASCADE, related_name="stored_pieces")
    index = models.PositiveIntegerField()
    offset = models.BigIntegerField()
    size = models.PositiveIntegerField("taille en clair")
    stored_size = models.PositiveIntegerField("taille chiffrée")
    stored_sha256 = models.CharField("SHA-256 du chiffré", max_length=64)
    storage_name = models.CharField(max_length=300)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "morceau reçu"
        ordering = ["file", "index"]
        constraints = [models.UniqueConstraint(fields=["file", "index"], name="bids_piece_unique")]

    def __str__(self) -> str:
        return f"{self.file_id}#{self.index}"
