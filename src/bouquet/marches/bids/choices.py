"""Enumerations of the bids context; values are stable (stored), labels are French."""

from django.db import models

__all__ = [
    "AwardOutcome",
    "BackupOpenReason",
    "BackupState",
    "DepositStatus",
    "Direction",
    "EnvelopeKind",
    "EvidenceKind",
    "MessageKind",
]


class DepositStatus(models.TextChoices):
    UPLOADING = "uploading", "Envoi en cours"
    RECEIVED = "received", "Reçu"


class EnvelopeKind(models.TextChoices):
    CANDIDATURE = "candidature", "Candidature"
    OFFER = "offer", "Offre"


class EvidenceKind(models.TextChoices):
    """What the evidence log of a deposit records (CE 23 sept. 2021, RATP, n° 449250)."""

    START = "start", "Début de l'envoi"
    CHUNK = "chunk", "Morceau reçu"
    CHUNK_REFUSED = "chunk_refused", "Morceau refusé"
    FILE_COMPLETE = "file_complete", "Fichier reçu en entier"
    COMMIT = "commit", "Dépôt validé (horodatage)"
    ACK = "ack", "Accusé de réception envoyé"
    ERROR = "error", "Erreur du serveur"


class BackupState(models.TextChoices):
    UNOPENED = "unopened", "Non ouverte"
    OPENED = "opened", "Ouverte"
    DESTROYED = "destroyed", "Détruite"


class BackupOpenReason(models.TextChoices):
    """The cases where a backup copy may be opened (art. R2132-11 CCP and arrêté ECOM1831545A)."""

    MALWARE = "malware", "Un programme malveillant a été détecté dans le pli électronique"
    NOT_RECEIVED = "not_received", "Le pli électronique n'est pas parvenu dans les délais"
    UNREADABLE = "unreadable", "Le pli électronique n'a pas pu être ouvert"


class Direction(models.TextChoices):
    TO_COMPANY = "to_company", "De l'acheteur à l'entreprise"
    TO_BUYER = "to_buyer", "De l'entreprise à l'acheteur"


class MessageKind(models.TextChoices):
    INFORMATION = "information", "Information"
    COMPLEMENT = "complement", "Demande de compléments"
    CLARIFICATION = "clarification", "Demande de précisions sur l'offre"
    NEGOTIATION = "negotiation", "Négociation"
    ANSWER = "answer", "Réponse"
    QUESTION = "question", "Message de l'entreprise"
    REJECTION = "rejection", "Lettre de rejet"
    NOTIFICATION = "notification", "Notification du marché"


#: Kinds a company must answer through the platform (one answer each).
EXPECTS_ANSWER = frozenset({MessageKind.COMPLEMENT, MessageKind.CLARIFICATION, MessageKind.NEGOTIATION})


class AwardOutcome(models.TextChoices):
    AWARDED = "awarded", "Attribué"
    UNSUCCESSFUL = "unsuccessful", "Infructueux"
