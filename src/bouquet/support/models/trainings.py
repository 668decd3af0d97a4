import uuid

from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet
from bouquet.support.choices import Attendance, RegistrationStatus, SessionMode, SessionStatus

ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class TrainingSession(models.Model):
    """A training session the operator runs for its members' agents (small groups, online by default).

    Not a member object: every member of the operator sees the planning; who registered is in
    ``Registration``, which is tenant-scoped.
    """

    operator = models.ForeignKey("core.Operator", on_delete=models.PROTECT, related_name="training_sessions")
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("programme", blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    mode = models.CharField(
        "modalité", max_length=10, choices=SessionMode.choices, default=SessionMode.ONLINE
    )
    location = models.CharField("lien de connexion ou adresse", max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField("nombre de places")
    status = models.CharField(
        "état", max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # Staff confirmed a slot outside the usual days and hours (kept to explain it later).
    outside_usual_slot = models.BooleanField("hors des créneaux habituels", default=False)
    # Calendar identity: the UID stays, SEQUENCE grows with each change (RFC 5545 §3.8.7.4).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "session de formation"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["operator", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="training_capacity_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="training_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y %H:%M})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_open_for_registration(self) -> bool:
        return not self.is_cancelled and not self.has_started


class Registration(models.Model):
    """One agent's seat (or place on the waiting list) in a session, for the authority they work for."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="registrations")
    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="training_registrations"
    )
    registered_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("état", max_length=10, choices=RegistrationStatus.choices)
    attendance = models.CharField("présence", max_length=10, choices=Attendance.choices, blank=True)
    created_at = models.DateTimeField("inscrit le", default=timezone.now)
    promoted_at = models.DateTimeField("sorti de la liste d'attente le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription à une formation"
        ordering = ["created_at", "id"]
        constraints = [
            # One seat or waiting place per person and session; cancelled rows stay as history.
            models.UniqueConstraint(
                fields=["session", "participant"],
                condition=models.Q(status__in=["confirmed", "waiting"]),
                name="one_active_registration_per_participant",
            ),
            models.CheckConstraint(
                condition=models.Q(attendance="") | models.Q(status="confirmed"),
                name="attendance_only_for_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.participant} — {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class RegistrationEvent(models.Model):
    """History of a registration: each status change, dated, with who made it."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    actor_label = models.CharField("par", max_length=300)
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "historique d'inscription"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.status}"
