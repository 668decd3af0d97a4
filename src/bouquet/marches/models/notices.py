from django.conf import settings
from django.db import models
from django.utils import timezone


class NoticeVersion(models.Model):
    """One published version of a consultation's notice (avis): the first publication is
    version 1, each later modification adds one, with what changed, for the registered downloaders.
    """

    consultation = models.ForeignKey(
        "marches.Consultation", on_delete=models.CASCADE, related_name="notice_versions"
    )
    number = models.PositiveIntegerField("version")
    text = models.TextField("texte de l'avis")
    change_summary = models.TextField("modifications", blank=True)
    # Key fields as published (deadlines, amount, lots, DCE documents), to show what each version said.
    snapshot = models.JSONField(default=dict)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notified_count = models.PositiveIntegerField("destinataires prévenus", default=0)

    class Meta:
        verbose_name = "version de l'avis"
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="marches_notice_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Avis v{self.number}"
