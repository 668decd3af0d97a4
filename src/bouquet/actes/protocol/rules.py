"""Business rules on an act before transmission (those S2LOW applies); each finding has a stable code."""

import datetime as dt
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .constants import (
    ANNEX_MIME_TYPES,
    MAX_ARCHIVE_SIZE,
    MAX_OBJET_LENGTH,
    MIME_PDF,
    MIME_XML,
    NATURES,
    NUMERO_INTERNE_RE,
    TYPOLOGY_RE,
)
from .messages import Acte, RetourClassification
from .sniff import sniff_mime

__all__ = [
    "FindingCode",
    "Finding",
    "ActFile",
    "ExistingNumbers",
    "check_numero_interne",
    "check_objet",
    "check_decision_date",
    "check_classification",
    "check_documents",
    "check_typologies",
    "check_archive_size",
    "check_act_fields",
    "validate_act",
]


class FindingCode(StrEnum):
    """Stable codes of the findings (safe to store, test and translate)."""

    NUMERO_INTERNE_FORMAT = "numero_interne_format"
    NUMERO_INTERNE_DOUBLON = "numero_interne_doublon"
    OBJET_VIDE = "objet_vide"
    OBJET_TROP_LONG = "objet_trop_long"
    DATE_FUTURE = "date_future"
    NATURE_INCONNUE = "nature_inconnue"
    CLASSIFICATION_NIVEAUX = "classification_niveaux"
    CLASSIFICATION_INCONNUE = "classification_inconnue"
    DOCUMENT_FORMAT = "document_format"
    DOCUMENT_XML_INTERDIT = "document_xml_interdit"
    ANNEXE_FORMAT = "annexe_format"
    ANNEXE_PDF_REQUIS = "annexe_pdf_requis"
    ANNEXES_NOMBRE = "annexes_nombre"
    TYPOLOGIE_MANQUANTE = "typologie_manquante"
    TYPOLOGIE_FORMAT = "typologie_format"
    TYPOLOGIE_NON_AUTORISEE = "typologie_non_autorisee"
    ARCHIVE_TROP_VOLUMINEUSE = "archive_trop_volumineuse"
    NOM_FICHIER_INVALIDE = "nom_fichier_invalide"
    FICHIER_MANQUANT = "fichier_manquant"


@dataclass(frozen=True)
class Finding:
    """One broken rule."""

    #: Stable code.
    code: FindingCode
    #: Explanation in French, for the user.
    message: str


@dataclass(frozen=True)
class ActFile:
    """A document of an act with its typology (the 5-character code of its file name)."""

    content: bytes
    typology: str | None = None


#: Numbers already used by the authority: a set (or any container) or a predicate.
ExistingNumbers = Container[str] | Callable[[str], bool]


def check_numero_interne(numero: str, existing: ExistingNumbers | None = None) -> list[Finding]:
    """Format ``[A-Z0-9_]{1,15}`` without leading/trailing ``_``, and unique for the authority."""
    findings = []
    if not NUMERO_INTERNE_RE.fullmatch(numero):
        findings.append(
            Finding(
                FindingCode.NUMERO_INTERNE_FORMAT,
                f"Numéro interne {numero!r} invalide : 1 à 15 caractères parmi majuscules, chiffres et « _ »,"
                " sans « _ » au début ni à la fin.",
            )
        )
    if existing is not None:
        used = existing(numero) if callable(existing) else numero in existing
        if used:
            findings.append(
                Finding(FindingCode.NUMERO_INTERNE_DOUBLON, f"Le numéro interne {numero} est déjà utilisé.")
            )
    return findings


def check_objet(objet: str) -> list[Finding]:
    """Non-empty subject of at most 500 characters."""
    if not objet.strip():
        return [Finding(FindingCode.OBJET_VIDE, "L'objet de l'acte est obligatoire.")]
    if len(objet) > MAX_OBJET_LENGTH:
        return [
            Finding(
                FindingCode.OBJET_TROP_LONG,
                f"L'objet fait {len(objet)} caractères, le maximum est {MAX_OBJET_LENGTH}.",
            )
        ]
    return []


def check_decision_date(date: dt.date, today: dt.date) -> list[Finding]:
    """The decision date is not in the future."""
    if date > today:
        return [Finding(FindingCode.DATE_FUTURE, f"La date de décision {date:%d/%m/%Y} est dans le futur.")]
    return []


def check_classification(acte: Acte, classification: RetourClassification | None = None) -> list[Finding]:
    """Known nature, classification levels 1 and 2 present and, given a classification, existing in it."""
    findings = []
    if classification is not None:
        known = classification.nature(acte.code_nature_acte) is not None
    else:
        known = acte.code_nature_acte in NATURES
    if not known:
        findings.append(
            Finding(FindingCode.NATURE_INCONNUE, f"Nature d'acte inconnue : {acte.code_nature_acte}.")
        )
    if len(acte.codes_matiere) < 2:
        findings.append(
            Finding(FindingCode.CLASSIFICATION_NIVEAUX, "La classification doit préciser les niveaux 1 et 2.")
        )
    elif classification is not None and classification.find_matiere(acte.codes_matiere) is None:
        findings.append(
            Finding(
                FindingCode.CLASSIFICATION_INCONNUE,
                f"La classification {acte.classification} n'existe pas dans la classification"
                f" du {classification.date_classification:%d/%m/%Y}.",
            )
        )
    return findings


def check_documents(acte: Acte, document: bytes, annexes: Sequence[bytes]) -> list[Finding]:
    """Main document PDF (XML only for nature 5 with matière 7.1); annexes PDF, XML, JPEG or PNG."""
    findings = []
    mime = sniff_mime(document)
    budget_xml = acte.code_nature_acte == 5 and tuple(acte.codes_matiere[:2]) == (7, 1)
    if mime == MIME_XML and not budget_xml:
        findings.append(
            Finding(
                FindingCode.DOCUMENT_XML_INTERDIT,
                "Un acte au format XML n'est admis que pour un document budgétaire (nature 5, matière 7.1).",
            )
        )
    elif mime not in (MIME_PDF, MIME_XML):
        findings.append(Finding(FindingCode.DOCUMENT_FORMAT, "Le document principal doit être un PDF."))
    for number, annexe in enumerate(annexes, start=1):
        annexe_mime = sniff_mime(annexe)
        if annexe_mime not in ANNEX_MIME_TYPES:
            findings.append(
                Finding(
                    FindingCode.ANNEXE_FORMAT,
                    f"L'annexe n° {number} doit être un fichier PDF, XML, JPEG ou PNG.",
                )
            )
        elif mime == MIME_XML and annexe_mime != MIME_PDF:
            findings.append(
                Finding(
                    FindingCode.ANNEXE_PDF_REQUIS,
                    f"L'annexe n° {number} doit être un PDF quand l'acte est au format XML.",
                )
            )
    if len(annexes) != len(acte.annexes):
        findings.append(
            Finding(
                FindingCode.ANNEXES_NOMBRE,
                f"Le message annonce {len(acte.annexes)} annexe(s), {len(annexes)} fournie(s).",
            )
        )
    return findings


def check_typologies(
    nature: int,
    typologies: Sequence[str | None],
    classification: RetourClassification | None = None,
) -> list[Finding]:
    """Each document (main first, then annexes) has a 5-character typology allowed for the nature.

    Membership is checked only when the classification lists typologies for that nature.
    """
    findings = []
    allowed = classification.typologies_for(nature) if classification else frozenset()
    for number, typology in enumerate(typologies):
        which = "du document principal" if number == 0 else f"de l'annexe n° {number}"
        if typology is None:
            findings.append(
                Finding(FindingCode.TYPOLOGIE_MANQUANTE, f"La typologie {which} est obligatoire.")
            )
        elif not TYPOLOGY_RE.fullmatch(typology):
            findings.append(
                Finding(FindingCode.TYPOLOGIE_FORMAT, f"La typologie {which} ({typology!r}) est invalide.")
            )
        elif allowed and typology not in allowed:
            findings.append(
                Finding(
                    FindingCode.TYPOLOGIE_NON_AUTORISEE,
                    f"La typologie {which} ({typology}) n'est pas autorisée pour la nature {nature}.",
                )
            )
    return findings


def check_archive_size(size: int, max_size: int = MAX_ARCHIVE_SIZE) -> list[Finding]:
    """The archive is at most 150 MiB."""
    if size > max_size:
        return [
            Finding(
                FindingCode.ARCHIVE_TROP_VOLUMINEUSE,
                f"L'archive fait {size / 1048576:.1f} Mio, le maximum est {max_size // 1048576} Mio.",
            )
        ]
    return []


def check_act_fields(
    acte: Acte,
    *,
    today: dt.date,
    classification: RetourClassification | None = None,
    existing_numbers: ExistingNumbers | None = None,
) -> list[Finding]:
    """The rules that need only the message: number, subject, date, nature and classification."""
    return [
        *check_numero_interne(acte.numero_interne, existing_numbers),
        *check_objet(acte.objet),
        *check_decision_date(acte.date, today),
        *check_classification(acte, classification),
    ]


def validate_act(
    acte: Acte,
    *,
    document: ActFile,
    annexes: Sequence[ActFile] = (),
    classification: RetourClassification | None = None,
    existing_numbers: ExistingNumbers | None = None,
    today: dt.date | None = None,
    archive_size: int | None = None,
) -> list[Finding]:
    """Every business rule on an act and its files; an empty list means the act may be sent.

    :param existing_numbers: numbers the authority already used (a set, or a predicate).
    :param classification: the authority's current classification (7-2), for nature, subjects and typologies.
    :param today: the reference date (defaults to today).
    :param archive_size: size of the built archive, when known.
    """
    findings = check_act_fields(
        acte,
        today=today or dt.date.today(),
        classification=classification,
        existing_numbers=existing_numbers,
    )
    findings += check_documents(acte, document.content, [a.content for a in annexes])
    findings += check_typologies(
        acte.code_nature_acte, [document.typology, *(a.typology for a in annexes)], classification
    )
    if archive_size is not None:
        findings += check_archive_size(archive_size)
    return findings
