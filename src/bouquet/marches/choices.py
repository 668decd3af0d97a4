"""Enumerations of the procurement platform; values are stable (other apps and exports store them)."""

from django.db import models

__all__ = [
    "DECP_PROCEDURE",
    "EventKind",
    "Kind",
    "PlaceCodeType",
    "Procedure",
    "Status",
]


class Status(models.TextChoices):
    """Life of a consultation; it changes only through ``bouquet.marches.workflow``."""

    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publiée"
    CLOSED = "closed", "Clôturée (date limite passée)"
    OPENED = "opened", "Plis ouverts"
    AWARDED = "awarded", "Attribuée"
    UNSUCCESSFUL = "unsuccessful", "Infructueuse"
    CANCELLED = "cancelled", "Annulée (sans suite)"


#: Statuses visible to the public (a draft never is).
PUBLIC_STATUSES = frozenset(set(Status) - {Status.DRAFT})


class Procedure(models.TextChoices):
    """Procedures of the Code de la commande publique (labels as in DECP v2 where it has them)."""

    MAPA = "mapa", "Procédure adaptée (MAPA)"
    OPEN = "open", "Appel d'offres ouvert"
    RESTRICTED = "restricted", "Appel d'offres restreint"
    NEGOTIATED = "negotiated", "Procédure avec négociation"
    COMPETITIVE_DIALOGUE = "dialogue", "Dialogue compétitif"
    NO_PUBLICITY = "no_publicity", "Marché sans publicité ni mise en concurrence préalable"


#: The DECP v2 ``procedure`` enumeration value for each of ours.
DECP_PROCEDURE = {
    Procedure.MAPA: "Procédure adaptée",
    Procedure.OPEN: "Appel d'offres ouvert",
    Procedure.RESTRICTED: "Appel d'offres restreint",
    Procedure.NEGOTIATED: "Procédure avec négociation",
    Procedure.COMPETITIVE_DIALOGUE: "Dialogue compétitif",
    Procedure.NO_PUBLICITY: "Marché passé sans publicité ni mise en concurrence préalable",
}

#: Procedures where negotiation rounds with bidders are allowed.
NEGOTIABLE_PROCEDURES = frozenset({Procedure.MAPA, Procedure.NEGOTIATED, Procedure.COMPETITIVE_DIALOGUE})


class Kind(models.TextChoices):
    WORKS = "works", "Travaux"
    SUPPLIES = "supplies", "Fournitures"
    SERVICES = "services", "Services"


class PlaceCodeType(models.TextChoices):
    """DECP v2 ``lieuExecution.typeCode``."""

    POSTAL = "Code postal", "Code postal"
    COMMUNE = "Code commune", "Code commune (INSEE)"
    ARRONDISSEMENT = "Code arrondissement", "Code arrondissement"
    CANTON = "Code canton", "Code canton"
    DEPARTEMENT = "Code département", "Code département"
    REGION = "Code région", "Code région"
    COUNTRY = "Code pays", "Code pays"


class EventKind:
    """Kinds of history events written by this app (others add theirs: free text, prefixed)."""

    CREATED = "created"
    UPDATED = "updated"
    PUBLISHED = "published"
    MODIFIED = "modified"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    UNSUCCESSFUL = "unsuccessful"
    RELAUNCHED = "relaunched"
    DCE_ADDED = "dce_added"
    DCE_REMOVED = "dce_removed"
    QUESTION_ASKED = "question_asked"
    QUESTION_ANSWERED = "question_answered"
    STATUS = "status"
