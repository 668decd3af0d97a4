from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet
from bouquet.support.choices import CallOutcome, RequestStatus, Theme
from bouquet.support.text import search_key


class FaqEntry(models.Model):
    """A question and its answer (markdown-lite text, rendered escaped) in one theme of the FAQ.

    ``search_text`` is the question and answer folded (no accents, lower case, no punctuation),
    kept in step by ``save()``, so that a plain ``LIKE`` finds "teletransmission" in
    "Télétransmission" on SQLite and PostgreSQL alike.
    """

    operator = models.ForeignKey("core.Operator", on_delete=models.PROTECT, related_name="faq_entries")
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    slug = models.SlugField("identifiant", max_length=100)
    question = models.CharField("question", max_length=300)
    answer = models.TextField("réponse")
    position = models.PositiveSmallIntegerField("ordre", default=100)
    is_published = models.BooleanField("publiée", default=True)
    search_text = models.TextField(editable=False, default="")
    updated_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "question de la FAQ"
        ordering = ["theme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "slug"], name="faq_slug_unique_per_operator")
        ]

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        self.search_text = search_key(f"{self.question} {self.answer}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class AssistanceRequest(models.Model):
    """A member's written request for help, followed by a thread of replies with the operator's staff."""

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    subject = models.CharField("objet", max_length=200)
    status = models.CharField("état", max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW)
    created_at = models.DateTimeField("ouverte le", default=timezone.now)
    last_activity_at = models.DateTimeField("dernier échange", default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'assistance"
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["authority", "-last_activity_at"]),
            models.Index(fields=["status", "-last_activity_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"


class RequestMessage(models.Model):
    """One message of a request's thread: the member's first description, then replies both ways."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField("de l'opérateur", default=False)
    body = models.TextField("message")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "message d'une demande"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.request_id} message {self.pk}"


class RequestEvent(models.Model):
    """History of a request's status, dated, with who changed it."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=RequestStatus.choices)
    actor_label = models.CharField("par", max_length=300)

    class Meta:
        verbose_name = "historique d'une demande"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.request_id} → {self.status}"


class PhoneCall(models.Model):
    """A call the staff took from a member: who called, about what, for how long, and how it ended."""

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    caller = models.CharField("interlocuteur", max_length=200)
    called_at = models.DateTimeField("date de l'appel", default=timezone.now)
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    subject = models.CharField("objet", max_length=300)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)")
    outcome = models.CharField("suite donnée", max_length=12, choices=CallOutcome.choices)
    notes = models.TextField("notes", blank=True)
    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "appel d'assistance"
        ordering = ["-called_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(duration_minutes__gte=1), name="call_duration_positive")
        ]

    def __str__(self) -> str:
        return f"{self.caller} — {self.subject}"
