"""The convention kit of a member: its filled documents, from our data and the staff's texts."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bouquet.backoffice.choices import (
    KIT_DOCUMENTS,
    ConventionKind,
    ConventionModule,
    ConventionStatus,
    DocumentKind,
)
from bouquet.backoffice.documents.defaults import DEFAULT_TEMPLATES
from bouquet.backoffice.documents.pdf import render_pdf
from bouquet.backoffice.documents.placeholders import substitute
from bouquet.backoffice.models import Convention, DocumentTemplate, OperatorSettings
from bouquet.core.choices import AuthorityKind

__all__ = [
    "KitDocument",
    "build_kit",
    "document_values",
    "french_date",
    "kit_email",
    "operator_settings",
    "texts_for",
]

FILE_NAMES = {
    DocumentKind.AMENDMENT_REQUEST: "demande-avenant",
    DocumentKind.FORM_ANSWERS: "formulaire-prefecture",
    DocumentKind.PROCEDURE: "procedure",
}
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


@dataclass(frozen=True)
class KitDocument:
    """One generated PDF of the kit."""

    kind: str
    #: ``<SIREN>-<document>.pdf``: digits and ASCII only, safe as a file name anywhere.
    filename: str
    title: str
    content: bytes


def french_date(value: date | None) -> str:
    """« 1er janvier 2007 », « 31 août 2023 » (independent of the active language)."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def _iso(value: str) -> date:
    return date.fromisoformat(value)


def operator_settings(operator) -> OperatorSettings:
    """The operator's saved settings, or (unsaved) the ``BACKOFFICE_*`` defaults."""
    found = OperatorSettings.objects.filter(operator=operator).first()
    if found is not None:
        return found
    return OperatorSettings(
        operator=operator,
        transmission_device=settings.BACKOFFICE_TRANSMISSION_DEVICE,
        homologation_reference=settings.BACKOFFICE_HOMOLOGATION_REFERENCE,
        homologation_date=_iso(settings.BACKOFFICE_HOMOLOGATION_DATE),
        transmission_operator=settings.BACKOFFICE_TRANSMISSION_OPERATOR,
        transmission_contract_date=_iso(settings.BACKOFFICE_TRANSMISSION_CONTRACT_DATE),
        prefecture_name=settings.BACKOFFICE_PREFECTURE_NAME,
        prefecture_address=settings.BACKOFFICE_PREFECTURE_ADDRESS,
    )


def texts_for(operator) -> dict[str, tuple[str, str, bool]]:
    """kind → (title, body, edited by staff?) for every document; one query."""
    edited = {t.kind: t for t in DocumentTemplate.objects.filter(operator=operator)}
    texts = {}
    for kind, (title, body) in DEFAULT_TEMPLATES.items():
        row = edited.get(kind)
        texts[kind] = (row.title, row.body, True) if row else (title, body, False)
    return texts


def _actes_convention(authority, today: date) -> Convention | None:
    rows = Convention.objects.filter(
        authority=authority,
        module=ConventionModule.ACTES,
        kind=ConventionKind.CONVENTION,
        status=ConventionStatus.SIGNED,
        effective_from__lte=today,
    ).filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
    return rows.order_by("-signed_on", "-id").first()


def document_values(authority, config: OperatorSettings, today: date) -> dict[str, str]:
    """Every placeholder's value for ``authority`` (see ``documents.placeholders.PLACEHOLDERS``)."""
    operator = authority.operator
    convention = _actes_convention(authority, today)
    return {
        "collectivite_nom": authority.name,
        "collectivite_siren": authority.siren,
        "collectivite_nature": AuthorityKind(authority.kind).label,
        "collectivite_departement": authority.departement,
        "collectivite_arrondissement": authority.arrondissement,
        "collectivite_courriel": authority.email,
        "collectivite_telephone": authority.phone,
        "convention_date": french_date(convention.signed_on) if convention else "(date à compléter)",
        "convention_reference": (
            convention.reference if convention and convention.reference else "à compléter"
        ),
        "operateur_nom": operator.name,
        "operateur_nature_juridique": operator.legal_nature,
        "operateur_adresse": operator.address,
        "operateur_telephone": operator.phone,
        "operateur_courriel": operator.email,
        "dispositif_nom": config.transmission_device,
        "homologation_reference": config.homologation_reference,
        "homologation_date": french_date(config.homologation_date),
        "operateur_transmission": config.transmission_operator,
        "contrat_transmission_date": french_date(config.transmission_contract_date),
        "prefecture_nom": config.prefecture_name,
        "prefecture_adresse": config.prefecture_address,
        "date_du_jour": french_date(today),
    }


def build_kit(authority, *, today: date | None = None, kinds=KIT_DOCUMENTS) -> list[KitDocument]:
    """The kit's PDFs for ``authority``, filled with today's data."""
    today = today or timezone.localdate()
    operator = authority.operator
    values = document_values(authority, operator_settings(operator), today)
    texts = texts_for(operator)
    footer = f"Document préparé par {operator.name} le {french_date(today)}"
    documents = []
    for kind in kinds:
        title, body, _edited = texts[kind]
        content = render_pdf(title=title, body=body, values=values, header=operator.name, footer=footer)
        filename = f"{authority.siren}-{FILE_NAMES[kind]}.pdf"
        documents.append(KitDocument(kind, filename, substitute(title, values), content))
    return documents


def kit_email(authority, *, today: date | None = None) -> tuple[str, str]:
    """(subject, plain-text body) of the e-mail that carries the kit."""
    today = today or timezone.localdate()
    values = document_values(authority, operator_settings(authority.operator), today)
    title, body, _edited = texts_for(authority.operator)[DocumentKind.KIT_EMAIL]
    subject = " ".join(substitute(title, values).split())
    return subject, substitute(body, values)
