"""Enumerations of the core context; values are stable, labels are French."""

from django.db import models


class AuthorityKind(models.TextChoices):
    """The @ctes ``IDCL/@Nature`` code of the authority (DGCL typology, S²LOW ``authority_types``)."""

    CONSEIL_REGIONAL = "11", "Conseil régional"
    CONSEIL_DEPARTEMENTAL = "21", "Conseil départemental"
    COMMUNE = "31", "Commune"
    ETABLISSEMENT_SANTE_COMMUNAL = "32", "Établissement public de santé (communal)"
    ETABLISSEMENT_PUBLIC_COMMUNAL = "33", "Autre établissement public communal (CCAS…)"
    SEM_COMMUNALE = "34", "Société d'économie mixte locale (communale)"
    SYNDICAT_FERME = "41", "Syndicat de communes ou syndicat mixte fermé"
    SYNDICAT_OUVERT = "42", "Syndicat mixte ouvert"
    SAN = "43", "Syndicat d'agglomération nouvelle"
    COMMUNAUTE_COMMUNES = "44", "Communauté de communes"
    COMMUNAUTE_URBAINE = "45", "Communauté urbaine"
    COMMUNAUTE_AGGLOMERATION = "46", "Communauté d'agglomération"
    SDIS = "51", "Service départemental d'incendie et de secours"
    AUTRE = "55", "Autre"


EPCI_KINDS = {
    AuthorityKind.SYNDICAT_FERME,
    AuthorityKind.SYNDICAT_OUVERT,
    AuthorityKind.SAN,
    AuthorityKind.COMMUNAUTE_COMMUNES,
    AuthorityKind.COMMUNAUTE_URBAINE,
    AuthorityKind.COMMUNAUTE_AGGLOMERATION,
}


class AuthorityStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspendue"


class ModuleCode(models.TextChoices):
    ACTES = "ACTES", "Actes (contrôle de légalité)"
    HELIOS = "HELIOS", "Hélios (flux comptables PES)"
    MARCHES = "MARCHES", "Marchés publics"
    ARCHIVES = "ARCHIVES", "Archivage électronique"
    PARAPHEUR = "PARAPHEUR", "Parapheur électronique"


# Modules that carry the two S²LOW rights CS (prepare) and TT (transmit).
TRANSMISSION_MODULES = {ModuleCode.ACTES, ModuleCode.HELIOS}


class Role(models.TextChoices):
    """A user's role within one authority."""

    ADMIN = "admin", "Administrateur de la collectivité"
    AGENT = "agent", "Agent"
    READ_ONLY = "read_only", "Lecture seule"
    ARCHIVIST = "archivist", "Archiviste"


class OperatorRole(models.TextChoices):
    ADMIN = "admin", "Administrateur de l'opérateur"
    SUPPORT = "support", "Assistance de l'opérateur"


class Access(models.TextChoices):
    NONE = "none", "Aucun"
    READ = "read", "Lecture"
    WRITE = "write", "Lecture et écriture"


class ActorKind(models.TextChoices):
    USER = "user", "Utilisateur"
    CERTIFICATE = "certificate", "Certificat"
    SYSTEM = "system", "Système"
