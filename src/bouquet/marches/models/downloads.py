import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def _token() -> str:
    return secrets.token_urlsafe(24)


class Downloader(models.Model):
    """Someone who asked to be told of a consultation's changes and answers (optional: the DCE
    itself is downloaded without any identification)."""

    consultation = models.ForeignKey(
        "marches.Consultation", on_delete=models.CASCADE, related_name="downloaders"
    )
    email = models.EmailField("courriel")
    company = models.ForeignKey(
        "marches.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(default=timezone.now)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "retrait inscrit (alertes)"
        ordering = ["consultation", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "email"], name="marches_downloader_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None


class Download(models.Model):
    """One withdrawal of the DCE (registre des retraits): a file, or the zip of all (``file`` empty)."""

    consultation = models.ForeignKey(
        "marches.Consultation", on_delete=models.CASCADE, related_name="downloads"
    )
    file = models.ForeignKey(
        "marches.DceFile", on_delete=models.PROTECT, null=True, blank=True, related_name="downloads"
    )
    is_archive = models.BooleanField("archive complète", default=False)
    version = models.PositiveIntegerField("version de la consultation")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Optional identity: a logged-in company user, or the e-mail a visitor chose to give.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    company = models.ForeignKey(
        "marches.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="downloads"
    )
    email = models.EmailField("courriel", blank=True)

    class Meta:
        verbose_name = "retrait du DCE"
        ordering = ["consultation", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.consultation_id} @ {self.at:%Y-%m-%d %H:%M:%S}"
