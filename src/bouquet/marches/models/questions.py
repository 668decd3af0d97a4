from django.conf import settings
from django.db import models
from django.utils import timezone


class Question(models.Model):
    """A company's question on a consultation; the answer is published to every downloader
    without naming who asked."""

    consultation = models.ForeignKey(
        "marches.Consultation", on_delete=models.CASCADE, related_name="questions"
    )
    company = models.ForeignKey("marches.Company", on_delete=models.PROTECT, related_name="questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("question")
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField("réponse", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "question"
        ordering = ["consultation", "asked_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
