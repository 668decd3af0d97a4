"""Enumerations of the ACTES context: S²LOW's numeric codes, kept identical (clients test them)."""

from django.db import models

__all__ = [
    "EnvelopeState",
    "FileRole",
    "InboundState",
    "Nature",
    "ResponseKind",
    "Status",
    "TransactionType",
]


class Status(models.IntegerChoices):
    """S²LOW ``actes_status`` ids (spec §4.2); Pastell and others compare them numerically."""

    ERREUR = -1, "Erreur"
    ANNULE = 0, "Annulé"
    POSTE = 1, "Posté"
    EN_ATTENTE_TRANSMISSION = 2, "En attente de transmission"
    TRANSMIS = 3, "Transmis"
    ACQUITTEMENT_RECU = 4, "Acquittement reçu"
    VALIDE = 5, "Validé"
    REFUSE = 6, "Refusé"
    DOCUMENT_RECU = 7, "Document reçu"
    ACQUITTEMENT_ENVOYE = 8, "Acquittement envoyé"
    DOCUMENT_ENVOYE = 9, "Document envoyé"
    REFUS_ENVOI = 10, "Refus d'envoie"
    ACQUITTEMENT_DOCUMENT_RECU = 11, "Acquittement de document reçu"
    ENVOYE_SAE = 12, "Envoyé au SAE"
    ARCHIVE_SAE = 13, "Archivé par le SAE"
    ERREUR_ARCHIVAGE = 14, "Erreur lors de l'archivage"
    RECU_SAE = 15, "Reçu par le SAE"
    DETRUITE = 16, "Détruite"
    EN_ATTENTE_POSTE = 17, "En attente d'être postée"
    EN_ATTENTE_SIGNATURE = 18, "En attente d'être signé"
    EN_ATTENTE_TRANSMISSION_SAE = 19, "En attente de transmission au SAE"
    ERREUR_ENVOI_SAE = 20, "Erreur lors de l'envoi au SAE"
    DOCUMENT_RECU_PAS_AR = 21, "Document reçu (pas d'AR)"
    ERREUR_SAE_DOCUMENTS = 22, "Impossible d'envoyer au SAE (documents indisponibles)"


class TransactionType(models.IntegerChoices):
    """S²LOW ``TypeTransaction``: the first digit of the @ctes message codes."""

    ACTE = 1, "Transmission d'actes"
    COURRIER_SIMPLE = 2, "Courrier simple"
    PIECES_COMPLEMENTAIRES = 3, "Demande de pièces complémentaires"
    LETTRE_OBSERVATIONS = 4, "Lettre d'observation"
    DEFERE_TA = 5, "Déféré au tribunal administratif"
    ANNULATION = 6, "Annulation"
    CLASSIFICATION = 7, "Demande de classification"


class Nature(models.IntegerChoices):
    """``CodeNatureActe``; labels as the ministry's classification gives them."""

    DELIBERATION = 1, "Délibérations"
    ARRETE_REGLEMENTAIRE = 2, "Arrêtés réglementaires"
    ARRETE_INDIVIDUEL = 3, "Arrêtés individuels"
    CONTRAT = 4, "Contrats, conventions et avenants"
    BUDGET = 5, "Documents budgétaires et financiers"
    AUTRE = 6, "Autres"


class ResponseKind(models.IntegerChoices):
    """S²LOW ``type_reponse`` of an answer to a préfecture letter (the sub-type 3 or 4 of 3-x/4-x)."""

    REFUS = 3, "Refus"
    ENVOI = 4, "Envoi"


class FileRole(models.TextChoices):
    MAIN = "main", "Document principal"
    ANNEX = "annex", "Annexe"
    MESSAGE = "message", "Message @ctes"
    AR = "ar", "Accusé de réception"
    LETTER = "letter", "Courrier de la préfecture"
    RECEIVED = "received", "Document reçu"


class EnvelopeState(models.TextChoices):
    BUILT = "built", "Prête à envoyer"
    SENDING = "sending", "Envoi en cours"
    SENT = "sent", "Envoyée"
    ERROR = "error", "Erreur temporaire"
    FAILED = "failed", "Échec définitif"


class InboundState(models.TextChoices):
    APPLIED = "applied", "Appliqué"
    IGNORED = "ignored", "Ignoré"
    ERROR = "error", "En erreur"
