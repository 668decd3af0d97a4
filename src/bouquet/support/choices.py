"""Enumerations of the support context; values are stable, labels are French."""

from django.db import models

__all__ = [
    "Attendance",
    "CallOutcome",
    "RegistrationStatus",
    "RequestStatus",
    "ServiceStatus",
    "SessionMode",
    "SessionStatus",
    "Theme",
]


class Theme(models.TextChoices):
    """The themes of the FAQ, also used to sort assistance requests and phone calls."""

    TELETRANSMISSION = "teletransmission", "Télétransmission"
    MARCHES = "marches", "Marchés publics"
    CERTIFICATS = "certificats", "Certificats"
    AUTRES_SERVICES = "autres_services", "Autres services"
    AIDES = "aides", "Aides"


class SessionMode(models.TextChoices):
    ONLINE = "online", "En ligne"
    ONSITE = "onsite", "En présentiel"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Programmée"
    CANCELLED = "cancelled", "Annulée"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Inscription confirmée"
    WAITING = "waiting", "Liste d'attente"
    CANCELLED = "cancelled", "Annulée"


class Attendance(models.TextChoices):
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"


class RequestStatus(models.TextChoices):
    NEW = "new", "Nouvelle"
    IN_PROGRESS = "in_progress", "En cours"
    RESOLVED = "resolved", "Résolue"


class CallOutcome(models.TextChoices):
    RESOLVED = "resolved", "Réglé pendant l'appel"
    CALLBACK = "callback", "À rappeler"
    REQUEST = "request", "Demande d'assistance ouverte"
    REDIRECTED = "redirected", "Orienté vers un autre service"


class ServiceStatus(models.TextChoices):
    PROPOSED = "proposed", "En attente de demandes"
    OPEN = "open", "Ouvert"
