from django.conf import settings
from django.db import models


class NotificationEvent(models.TextChoices):
    """What an ACTES e-mail notification is about."""

    AR_RECEIVED = "ar_received", "Accusé de réception d'un acte"
    ANOMALY = "anomaly", "Anomalie signalée par le ministère"
    LETTER_RECEIVED = "letter_received", "Courrier de la préfecture reçu"
    CANCELLATION_AR = "cancellation_ar", "Annulation d'un acte acquittée"


class NotificationPreference(models.Model):
    """A user's choice for one kind of ACTES e-mail in one authority; without a row, it is sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="actes_notification_preferences"
    )
    authority = models.ForeignKey(
        "core.Authority", on_delete=models.CASCADE, related_name="actes_notification_preferences"
    )
    event = models.CharField("événement", max_length=20, choices=NotificationEvent.choices)
    enabled = models.BooleanField("recevoir le courriel", default=True)

    class Meta:
        verbose_name = "préférence de notification ACTES"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "authority", "event"], name="actes_one_notification_preference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.authority_id}: {self.event} {'oui' if self.enabled else 'non'}"
