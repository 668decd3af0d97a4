from django.conf import settings
from django.db import models
from django.utils import timezone


class ConsultationEvent(models.Model):
    """One line of a consultation's event history (the platform's "historique des événements",
    arrêté of 22 March 2019, A.8). Written by ``bouquet.marches.services.history.add_event`` from
    this app and from the bids and contracts apps; never updated nor deleted."""

    consultation = models.ForeignKey("marches.Consultation", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField("type", max_length=50)
    message = models.TextField("message")
    actor_label = models.CharField("auteur", max_length=300, blank=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "événement de consultation"
        ordering = ["consultation", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind}"
