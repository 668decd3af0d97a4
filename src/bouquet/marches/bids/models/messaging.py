from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet
from bouquet.marches.bids.choices import EXPECTS_ANSWER, Direction, MessageKind


class MessageQuerySet(TenantQuerySet):
    def of_company_user(self, user) -> "MessageQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(company__memberships__user=user, company__memberships__is_active=True).distinct()


class Message(models.Model):
    """A message of the secure exchanges between a buyer and one bidder.

    ``digest`` (SHA-256 over the sender, recipient, time, subject, body and attachment hash) with
    ``sent_at`` is the proof of sending; ``read_at``/``read_by`` is the proof of reading (for a
    notification, the proof of receipt of the contract). Never edited once sent.
    """

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(
        "marches.Consultation", on_delete=models.PROTECT, related_name="bid_messages"
    )
    company = models.ForeignKey("marches.Company", on_delete=models.PROTECT, related_name="bid_messages")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    kind = models.CharField("nature", max_length=15, choices=MessageKind.choices)
    subject = models.CharField("objet", max_length=300)
    body = models.TextField("message")
    attachment_name = models.CharField("pièce jointe", max_length=255, blank=True)
    attachment_path = models.CharField(max_length=300, blank=True)
    attachment_size = models.BigIntegerField(default=0)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    answer_due = models.DateTimeField("réponse attendue avant le", null=True, blank=True)
    award = models.ForeignKey(
        "marches_bids.Award", on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    digest = models.CharField("empreinte", max_length=64)
    read_at = models.DateTimeField("lu le", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "message"
        ordering = ["consultation", "sent_at", "id"]
        indexes = [models.Index(fields=["consultation", "company", "sent_at"], name="bids_message_thread")]

    def __str__(self) -> str:
        return self.subject

    @property
    def expects_answer(self) -> bool:
        return self.direction == Direction.TO_COMPANY and self.kind in EXPECTS_ANSWER
