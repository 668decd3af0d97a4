"""Frozen results of reading a PES file (no XML content is kept, only extracted values)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .constants import PESKind

__all__ = [
    "AckError",
    "AckElement",
    "AckRetourElement",
    "Attachment",
    "Bordereau",
    "Envelope",
    "Header",
    "Marche",
    "PESDocument",
    "RetourBlock",
    "SignatureLocation",
]


@dataclass(frozen=True)
class Envelope:
    """``Enveloppe/Parametres`` (and the sender's sigle)."""

    version: str | None = None
    typ_fic: str | None = None
    #: Functional file identifier: uniqueness key with CodCol, and how acquits are matched.
    nom_fic: str | None = None
    emetteur_sigle: str | None = None
    emetteur_adresse: str | None = None


@dataclass(frozen=True)
class Header:
    """``EnTetePES``. ``cod_col`` holds ``CodCol``, or ``CodColl`` in retours and acquits of retours."""

    dte_str: str | None = None
    id_post: str | None = None
    libelle_poste: str | None = None
    id_coll: str | None = None
    cod_col: str | None = None
    cod_bud: str | None = None
    libelle_col_bud: str | None = None


@dataclass(frozen=True)
class Bordereau:
    """One dépense or recette bordereau of a PES_Aller."""

    domain: str  #: ``"depense"`` or ``"recette"``
    id: str | None  #: ``Id`` attribute (the signature target)
    exer: str | None
    id_bord: str | None
    typ_bord: str | None
    nbr_pce: int | None  #: declared number of pieces (``NbrPce``)
    piece_count: int  #: pieces actually present
    mt_bord_ht: Decimal | None
    mt_cumul_annuel: Decimal | None
    signed: bool  #: has a ds:Signature child
    line: int | None


@dataclass(frozen=True)
class Attachment:
    """One ``PJ``: metadata and the size of its base64 content, never the content itself."""

    nom_pj: str | None
    id_unique: str | None
    type_pj: str | None
    mime_type: str | None
    description: str | None
    base64_length: int  #: characters of base64 text (whitespace included)
    in_pes_pj: bool  #: ``False`` when the PJ sits outside ``PES_PJ`` (seen in real files)
    line: int | None

    @property
    def approximate_size(self) -> int:
        """Approximate size in bytes of the gzip file carried (base64 decoded)."""
        return self.base64_length * 3 // 4


@dataclass(frozen=True)
class Marche:
    """One entry of ``PES_Marche``: its element name and ``IdMarche`` when found."""

    tag: str
    id_marche: str | None
    line: int | None


@dataclass(frozen=True)
class SignatureLocation:
    """Where a ds:Signature sits, as seen while streaming."""

    id: str | None
    parent_tag: str
    parent_id: str | None
    first_reference: str | None  #: first ``Reference@URI`` of its SignedInfo
    line: int | None


@dataclass(frozen=True)
class AckError:
    """An ``Erreur`` of an acquit, at element, piece or line level."""

    code: str  #: ``NumAnoAck`` verbatim
    label: str | None  #: ``LibelleAnoAck`` verbatim
    explanation: str  #: French explanation of the code (the code itself when unknown)
    piece: str | None = None
    line_number: str | None = None


@dataclass(frozen=True)
class AckElement:
    """One ``ElementACQUIT``."""

    domain: str | None  #: ``DomaineAck`` code
    domain_label: str  #: French label of the domain
    ok: bool  #: ``EtatAck`` = 1
    num_bord: str | None
    exercice_bord: str | None
    id_marche: str | None
    id_unique: str | None
    errors: tuple[AckError, ...]
    line: int | None


@dataclass(frozen=True)
class AckRetourElement:
    """One ``ElementACQUIT_RETOUR`` (the collectivité acknowledging a retour)."""

    domain: str | None
    nom_fichier_retour: str | None
    typ_restit: str | None
    date_acquit: str | None


@dataclass(frozen=True)
class RetourBlock:
    """One domain block of a PES_Retour (``PES_DepenseRetour``…)."""

    tag: str
    typ_restit: str | None
    bordereau_count: int


@dataclass(frozen=True)
class PESDocument:
    """Everything read from one PES file in a single streaming pass."""

    kind: PESKind
    namespace: str | None
    root_id: str | None
    #: Encoding named in the XML declaration (``None`` when there is none).
    declared_encoding: str | None
    #: S²LOW's test: "ISO-8859-1" in the first 50 characters, case-insensitive.
    iso_8859_1: bool
    size: int
    sha256: str
    envelope: Envelope
    header: Header
    top_level: tuple[str, ...]  #: local names of the root's children, in order
    bordereaux: tuple[Bordereau, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    marches: tuple[Marche, ...] = ()
    signatures: tuple[SignatureLocation, ...] = ()
    duplicate_ids: tuple[str, ...] = ()
    ack_elements: tuple[AckElement, ...] = ()
    ack_retour_elements: tuple[AckRetourElement, ...] = field(default=())
    retour_blocks: tuple[RetourBlock, ...] = ()

    @property
    def piece_count(self) -> int:
        """Pieces in all bordereaux."""
        return sum(b.piece_count for b in self.bordereaux)

    def total(self, domain: str) -> Decimal | None:
        """Sum of ``MtBordHT`` over the bordereaux of ``domain`` (``None`` when none carries it)."""
        amounts = [b.mt_bord_ht for b in self.bordereaux if b.domain == domain and b.mt_bord_ht is not None]
        return sum(amounts, Decimal(0)) if amounts else None
