from django.db import models
from django.utils import timezone

from bouquet.actes.choices import EnvelopeState
from bouquet.actes.querysets import EnvelopeQuerySet
from bouquet.core.querysets import TenantQuerySet


class Envelope(models.Model):
    """An archive for the ministry (``EACT--SIREN--YYYYMMDD-n``), built and stored once, then sent.

    The bytes never change after building, so a resend after a crash is the same archive (same
    name, same SHA-256) and the ministry treats it as a duplicate.
    """

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="actes_envelopes")
    name = models.CharField("nom", max_length=100)
    day = models.DateField("jour")
    serial = models.PositiveSmallIntegerField("numéro")
    archive_name = models.CharField("nom de l'archive", max_length=120, unique=True)
    archive = models.ForeignKey("actes.StoredFile", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("taille")
    state = models.CharField(
        "état", max_length=10, choices=EnvelopeState.choices, default=EnvelopeState.BUILT
    )
    attempts = models.PositiveIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = EnvelopeQuerySet.as_manager()

    class Meta:
        verbose_name = "enveloppe"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "day", "serial"], name="actes_envelope_serial_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EnvelopeSerial(models.Model):
    """The last envelope serial given to an authority on a day (row-locked when allocating)."""

    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "day"], name="actes_one_serial_per_day")]

    def __str__(self) -> str:
        return f"{self.authority_id} {self.day}: {self.last}"


class TransmissionWindow(models.Model):
    """Bytes sent to the ministry during a one-hour slot (budget ``ACTES_WINDOW_BYTES_PER_HOUR``)."""

    slot = models.DateTimeField(unique=True)
    bytes_used = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "créneau de transmission"

    def __str__(self) -> str:
        return f"{self.slot:%Y-%m-%d %H}h: {self.bytes_used}"
