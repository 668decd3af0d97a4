"""S²LOW's checks on a PES before transmission, as findings with stable codes and French messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .constants import CODCOL_MAX_LENGTH, IDCOLL_MAX_LENGTH, MAX_FILE_SIZE, PESKind
from .model import PESDocument

__all__ = ["CODES", "Finding", "check_incoming", "check_outgoing", "has_errors"]

Severity = Literal["error", "warning", "info"]

#: Stable codes of the checks (the Django side may store them).
CODES = (
    "encoding_not_iso_8859_1",
    "empty",
    "nomfic_missing",
    "codcol_missing",
    "codcol_too_long",
    "idcoll_missing",
    "idcoll_too_long",
    "nomfic_codcol_known",
    "duplicate_content",
    "too_large",
    "duplicate_ids",
    "not_outgoing",
    "not_incoming",
)


@dataclass(frozen=True)
class Finding:
    """The outcome of one check that did not pass (or a notice)."""

    code: str  #: one of :data:`CODES` (or a signature/property code)
    severity: Severity  #: ``"error"`` refuses the file; ``"warning"`` and ``"info"`` do not
    message: str  #: French, for users
    line: int | None = None


def has_errors(findings: tuple[Finding, ...]) -> bool:
    """Whether any finding refuses the file."""
    return any(f.severity == "error" for f in findings)


def check_outgoing(
    doc: PESDocument,
    *,
    is_known: Callable[[str, str], bool] | None = None,
    is_duplicate: Callable[[str], bool] | None = None,
    max_size: int = MAX_FILE_SIZE,
) -> tuple[Finding, ...]:
    """Checks of S²LOW's "analyse fichier à envoyer", for a PES_Aller or PES_ACQUIT_RETOUR.

    :param is_known: ``is_known(nomfic, codcol)`` is true when that pair was already sent from the
        platform (S²LOW's uniqueness rule).
    :param is_duplicate: ``is_duplicate(sha256_hex)`` is true when byte-identical content was already
        posted.
    """
    if doc.kind not in (PESKind.ALLER, PESKind.ACQUIT_RETOUR):
        return (Finding("not_outgoing", "error", f"Un {doc.kind} ne peut pas être transmis à Hélios."),)
    findings: list[Finding] = []
    nom_fic, cod_col, id_coll = doc.envelope.nom_fic, doc.header.cod_col, doc.header.id_coll
    if doc.size > max_size:
        findings.append(Finding("too_large", "error", f"Le fichier dépasse {max_size} octets."))
    if is_duplicate is not None and is_duplicate(doc.sha256):
        findings.append(
            Finding("duplicate_content", "error", "Doublon détecté : ce fichier a déjà été posté.")
        )
    if not doc.iso_8859_1:
        findings.append(
            Finding(
                "encoding_not_iso_8859_1",
                "error",
                "Le fichier doit déclarer l'encodage ISO-8859-1 dans son en-tête XML "
                f"(encodage déclaré : {doc.declared_encoding or 'aucun'}).",
                1,
            )
        )
    if _is_empty(doc):
        findings.append(
            Finding(
                "empty",
                "error",
                "Le PES est vide : il ne contient ni bordereau, ni pièce justificative, ni marché "
                "(Hélios ne renverrait aucun acquittement).",
            )
        )
    if not nom_fic:
        findings.append(Finding("nomfic_missing", "error", "L'identifiant du fichier (NomFic) est absent."))
    if not cod_col:
        findings.append(Finding("codcol_missing", "error", "Le code collectivité (CodCol) est absent."))
    elif len(cod_col) > CODCOL_MAX_LENGTH:
        findings.append(
            Finding(
                "codcol_too_long",
                "error",
                f"Le code collectivité (CodCol) « {cod_col} » dépasse {CODCOL_MAX_LENGTH} caractères.",
            )
        )
    if not id_coll:
        findings.append(
            Finding("idcoll_missing", "error", "Le SIRET de la collectivité (IdColl) est absent.")
        )
    elif len(id_coll) > IDCOLL_MAX_LENGTH:
        findings.append(
            Finding(
                "idcoll_too_long",
                "error",
                f"Le SIRET (IdColl) « {id_coll} » dépasse {IDCOLL_MAX_LENGTH} caractères.",
            )
        )
    if nom_fic and cod_col and is_known is not None and is_known(nom_fic, cod_col):
        findings.append(
            Finding(
                "nomfic_codcol_known",
                "error",
                f"Ce fichier existe déjà sur la plateforme : NomFic « {nom_fic} » déjà transmis "
                f"pour le code collectivité {cod_col}.",
            )
        )
    findings += _duplicate_ids(doc)
    return tuple(findings)


def check_incoming(doc: PESDocument) -> tuple[Finding, ...]:
    """Checks on a file received from Hélios: can it be linked to a transaction or an authority?"""
    findings: list[Finding] = []
    if doc.kind is PESKind.ACQUIT:
        if not doc.envelope.nom_fic:
            findings.append(
                Finding(
                    "nomfic_missing",
                    "error",
                    "L'acquittement ne porte pas de NomFic : il ne peut être rattaché à aucune transaction.",
                )
            )
        if not doc.header.cod_col:
            findings.append(
                Finding(
                    "codcol_missing",
                    "warning",
                    "L'acquittement ne porte pas de CodCol : rattachement sur le seul NomFic.",
                )
            )
    elif doc.kind is PESKind.RETOUR:
        if not doc.header.id_coll:
            findings.append(
                Finding(
                    "idcoll_missing",
                    "error",
                    "Le PES_Retour ne porte pas de SIRET (IdColl) : non distribuable.",
                )
            )
    else:
        findings.append(
            Finding("not_incoming", "error", f"Un {doc.kind} n'est pas un fichier reçu d'Hélios.")
        )
    return tuple(findings)


def _is_empty(doc: PESDocument) -> bool:
    if doc.kind is PESKind.ACQUIT_RETOUR:
        return not doc.ack_retour_elements
    return not (doc.bordereaux or doc.attachments or doc.marches)


def _duplicate_ids(doc: PESDocument) -> list[Finding]:
    if not doc.duplicate_ids:
        return []
    ids = ", ".join(doc.duplicate_ids[:5])
    return [
        Finding(
            "duplicate_ids",
            "error",
            f"Identifiants (attribut Id) présents plusieurs fois : {ids}. Une signature ne peut "
            "pas désigner sans ambiguïté l'élément qu'elle couvre.",
        )
    ]
