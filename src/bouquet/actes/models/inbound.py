from django.db import models
from django.utils import timezone

from bouquet.actes.choices import InboundState


class InboundMessage(models.Model):
    """A ministry mail taken from the inbox; those in error form the queue operator staff review.

    (key, sha256) is unique so that a mail fetched twice is applied once.
    """

    key = models.CharField("identifiant du courriel", max_length=500)
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)
    state = models.CharField("état", max_length=10, choices=InboundState.choices)
    reason = models.TextField("motif", blank=True)
    raw = models.ForeignKey("actes.StoredFile", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(
        "core.Authority", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transactions = models.ManyToManyField("actes.Transaction", blank=True, related_name="inbound_messages")

    class Meta:
        verbose_name = "courriel reçu du ministère"
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key", "sha256"], name="actes_inbound_once")]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_state_display()})"
