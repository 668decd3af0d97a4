"""Enumerations of the back-office; values are stable, labels are French."""

from django.db import models

from bouquet.core.choices import ModuleCode


class MembershipStatus(models.TextChoices):
    """Where an authority stands with the operator (Mégalis' MyEC3 statuses, in French)."""

    PROSPECT = "prospect", "Prospect"
    JOINING = "joining", "Adhésion en cours"
    MEMBER = "member", "Adhérent"
    RESIGNED = "resigned", "Démissionnaire"
    REFUSED = "refused", "Refusé"
    DISSOLVED = "dissolved", "Dissous"


#: Allowed moves from one status to the next (None: an authority with no status yet).
#: A dissolved body is gone for good; every other status can start over with a new request.
MEMBERSHIP_TRANSITIONS: dict[str | None, set[str]] = {
    None: set(MembershipStatus.values),
    MembershipStatus.PROSPECT: {
        MembershipStatus.JOINING,
        MembershipStatus.REFUSED,
        MembershipStatus.DISSOLVED,
    },
    MembershipStatus.JOINING: {
        MembershipStatus.MEMBER,
        MembershipStatus.REFUSED,
        MembershipStatus.PROSPECT,
        MembershipStatus.DISSOLVED,
    },
    MembershipStatus.MEMBER: {MembershipStatus.RESIGNED, MembershipStatus.DISSOLVED},
    MembershipStatus.RESIGNED: {
        MembershipStatus.JOINING,
        MembershipStatus.PROSPECT,
        MembershipStatus.DISSOLVED,
    },
    MembershipStatus.REFUSED: {
        MembershipStatus.JOINING,
        MembershipStatus.PROSPECT,
        MembershipStatus.DISSOLVED,
    },
    MembershipStatus.DISSOLVED: set(),
}


class ConventionModule(models.TextChoices):
    """The two flows that need a convention with the State (a subset of core's module codes)."""

    ACTES = ModuleCode.ACTES.value, "ACTES (contrôle de légalité)"
    HELIOS = ModuleCode.HELIOS.value, "HELIOS (comptabilité)"


class ConventionKind(models.TextChoices):
    CONVENTION = "convention", "Convention"
    AMENDMENT = "amendment", "Avenant"


class ConventionStatus(models.TextChoices):
    TO_PREPARE = "to_prepare", "À préparer"
    SENT = "sent", "Envoyée à la préfecture"
    SIGNED = "signed", "Signée"


#: A convention moves forward only; "sent" may go back to "to prepare" when the préfecture returns it.
CONVENTION_TRANSITIONS: dict[str, set[str]] = {
    ConventionStatus.TO_PREPARE: {ConventionStatus.SENT, ConventionStatus.SIGNED},
    ConventionStatus.SENT: {ConventionStatus.SIGNED, ConventionStatus.TO_PREPARE},
    ConventionStatus.SIGNED: set(),
}


class ConventionFileKind(models.TextChoices):
    DRAFT = "draft", "Projet"
    SIGNED = "signed", "Exemplaire signé"
    OTHER = "other", "Autre pièce"


class DocumentKind(models.TextChoices):
    """The documents of the convention kit, and the e-mail that carries them."""

    AMENDMENT_REQUEST = "amendment_request", "Lettre de demande d'avenant à la préfecture"
    FORM_ANSWERS = "form_answers", "Réponses au formulaire de la préfecture"
    PROCEDURE = "procedure", "Procédure en une page"
    KIT_EMAIL = "kit_email", "Courriel d'envoi du kit"


#: The PDF documents of the kit, in the order they are generated (the e-mail is not a PDF).
KIT_DOCUMENTS = (DocumentKind.AMENDMENT_REQUEST, DocumentKind.FORM_ANSWERS, DocumentKind.PROCEDURE)
