"""Read what routes an incoming DGFiP file: the (NomFic, CodCol) of an acquit, the SIRET of a retour.

Acquits are matched on the NomFic and CodCol **inside** them (those of the PES_Aller they answer),
never on the file name, which the DGFiP chooses (S²LOW ``HeliosTransactionsSQL::findTransactionId``).
"""

from __future__ import annotations

from typing import NamedTuple

from bouquet.helios.pes import PESDocument, PESError, PESKind, read_pes

from .ftp import MAX_FETCH_SIZE

__all__ = ["AcquitKey", "UnroutableFileError", "acquit_key", "is_ocre", "retour_siret"]


class UnroutableFileError(ValueError):
    """The file cannot be attached to a transaction or an authority; it goes to the error directory."""


class AcquitKey(NamedTuple):
    """Key of the PES_Aller an acquit answers; ``cod_col`` may be missing from invalid acquits."""

    nom_fic: str
    cod_col: str | None


def _read(data: bytes) -> PESDocument:
    try:
        return read_pes(data, max_size=MAX_FETCH_SIZE)
    except PESError as exc:
        raise UnroutableFileError(exc.message) from exc


def acquit_key(data: bytes) -> AcquitKey:
    """(NomFic, CodCol) of a PES_ACQUIT.

    :raises UnroutableFileError: not a readable PES_ACQUIT, or no NomFic.
    """
    doc = _read(data)
    if doc.kind is not PESKind.ACQUIT:
        raise UnroutableFileError(f"{doc.kind.value} reçu là où un PES_ACQUIT était attendu.")
    if not doc.envelope.nom_fic:
        raise UnroutableFileError("Acquittement sans NomFic : impossible de retrouver la transaction.")
    return AcquitKey(doc.envelope.nom_fic, doc.header.cod_col or None)


def retour_siret(data: bytes) -> str:
    """SIRET (``EnTetePES/IdColl``) of a PES_Retour: the authority it belongs to.

    :raises UnroutableFileError: not a readable PES_Retour, or IdColl missing or malformed.
    """
    doc = _read(data)
    if doc.kind is not PESKind.RETOUR:
        raise UnroutableFileError(f"{doc.kind.value} reçu là où un PES_Retour était attendu.")
    siret = doc.header.id_coll or ""
    if not (siret.isdigit() and len(siret) <= 14):
        raise UnroutableFileError(f"IdColl « {siret} » n'est pas un SIRET.")
    return siret


def is_ocre(name: str) -> bool:
    """OCRE files (``.ocre``, legacy ``.ocr``) are not PES: S²LOW routes them apart."""
    return name.lower().endswith((".ocre", ".ocr"))
