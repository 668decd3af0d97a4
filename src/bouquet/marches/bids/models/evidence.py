from django.db import models
from django.utils import timezone

from bouquet.marches.bids.choices import EvidenceKind


class EvidenceEvent(models.Model):
    """One fact of a deposit's life kept for disputes: start, each piece, refusals, validation,
    acknowledgement, server errors, each with the server's state at that moment.

    Events of a deposit form a SHA-256 chain (``prev_hash`` → ``hash``), whose head is copied on the
    deposit and, at validation, into the platform's audit journal: a removed or edited event shows.
    """

    deposit = models.ForeignKey("marches_bids.Deposit", on_delete=models.CASCADE, related_name="evidence")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=15, choices=EvidenceKind.choices)
    details = models.JSONField(default=dict, blank=True)
    server = models.JSONField("état du serveur", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "preuve de dépôt"
        ordering = ["deposit", "seq"]
        constraints = [models.UniqueConstraint(fields=["deposit", "seq"], name="bids_evidence_seq_unique")]

    def __str__(self) -> str:
        return f"{self.deposit_id}#{self.seq} {self.kind}"


class HealthSample(models.Model):
    """The platform's health at one moment (load, uploads in progress, errors, database latency,
    free disk): the history that shows the platform worked around a deadline."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=10, default="monitor")
    load1 = models.FloatField()
    load5 = models.FloatField()
    load15 = models.FloatField()
    cpus = models.PositiveSmallIntegerField()
    uploads_in_progress = models.PositiveIntegerField(default=0)
    pieces_last_minute = models.PositiveIntegerField(default=0)
    errors_last_minute = models.PositiveIntegerField(default=0)
    db_latency_ms = models.FloatField()
    disk_free_bytes = models.BigIntegerField()

    class Meta:
        verbose_name = "relevé de santé de la plateforme"
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} charge {self.load1:.2f}"
