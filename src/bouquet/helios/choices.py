"""Enumerations of the HELIOS context: S²LOW's numeric codes, kept identical (clients test them)."""

from django.db import models

__all__ = ["DocumentKind", "IncomingKind", "IncomingState", "SendState", "Status"]


class Status(models.IntegerChoices):
    """S²LOW ``helios_status`` ids (``S2low\\Enum\\HeliosStatus``); Pastell compares them numerically."""

    ERREUR = -1, "Erreur"
    ANNULE = 0, "Annulé"
    POSTE = 1, "Posté"
    EN_ATTENTE_TRANSMISSION = 2, "En attente de transmission"
    TRANSMIS = 3, "Transmis"
    ACQUITTE = 4, "Acquittement reçu"
    VALIDE = 5, "Validé"
    REFUSE = 6, "Refusé"
    EN_TRAITEMENT = 7, "En traitement"
    INFORMATION_DISPONIBLE = 8, "Information disponible"
    ENVOYE_SAE = 9, "Envoyé au SAE"
    ACCEPTE_SAE = 10, "Accepté par le SAE"
    REFUSE_SAE = 11, "Refusé par le SAE"
    EN_ATTENTE_SIGNATURE = 13, "En attente d'être signé"
    EN_ATTENTE_TELETRANSMISSION = 14, "En attente d'être télétransmis"
    EN_ATTENTE_TRANSMISSION_SAE = 19, "En attente de transmission au SAE"
    ERREUR_ENVOI_SAE = 20, "Erreur lors de l'envoi au SAE"
    A_DETRUIRE = 21, "À détruire"
    DETRUITE = 22, "Détruite"
    ERREUR_SAE_DOCUMENTS = 23, "Erreur SAE : documents indisponibles"
    TRANSMIS_SANS_ACQUITTEMENT = 24, "Transmis sans acquittement"


class DocumentKind(models.TextChoices):
    """What a transaction carries to Hélios (the root element of the file)."""

    PES_ALLER = "PES_Aller", "PES Aller"
    PES_ACQUIT_RETOUR = "PES_ACQUIT_RETOUR", "Acquittement de PES Retour"


class SendState(models.TextChoices):
    """Where the transfer of a transaction's file stands (independent of the S²LOW status)."""

    WAITING = "waiting", "Pas encore envoyé"
    SENDING = "sending", "Envoi en cours"
    SENT = "sent", "Envoyé"
    RETRY = "retry", "Erreur temporaire, nouvel essai prévu"
    FAILED = "failed", "Échec définitif"


class IncomingKind(models.TextChoices):
    """What a file found in the DGFiP's ``sortie`` directory turned out to be."""

    ACQUIT = "acquit", "Acquittement (PES_ACQUIT)"
    RETOUR = "retour", "PES Retour"
    OCRE = "ocre", "Fichier OCRE"
    UNKNOWN = "unknown", "Fichier non reconnu"


class IncomingState(models.TextChoices):
    """What became of a received file (each (name, content) is applied once)."""

    APPLIED = "applied", "Appliqué"
    IGNORED = "ignored", "Ignoré"
    UNASSIGNED = "unassigned", "Non affecté"
    ERROR = "error", "En erreur"
