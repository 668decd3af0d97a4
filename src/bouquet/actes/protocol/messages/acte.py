"""Transmission of an act: 1-1 ``Acte``, 1-2 ``ARActe``, 1-3 ``AnomalieActe``."""

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Self

from lxml import etree

from ..constants import NATURES
from ..errors import MessageError
from ..xmlbuild import new_root, set_attrs, sub
from ..xmlread import attr, child, children, opt_child, opt_text, parse_date, parse_int, text
from .common import SignedFile, read_file, write_file

__all__ = ["Acte", "ARActe", "AnomalieActe"]

_MATIERE_LEVELS = 5


@dataclass(frozen=True, kw_only=True)
class Acte:
    """1-1 ``Acte`` (type ``DonneesActe``, also the ``ActeRecu`` copied in 1-2 and 1-3)."""

    ROOT: ClassVar[str] = "Acte"
    CODE: ClassVar[str] = "1-1"

    #: ``@Date``: decision date.
    date: dt.date
    #: ``@NumeroInterne``: the authority's own number of the act.
    numero_interne: str
    #: ``@CodeNatureActe``: 1 to 6 (see ``constants.NATURES``).
    code_nature_acte: int
    #: ``CodeMatiere1`` to ``CodeMatiere5``: classification codes, level 1 first (levels 1 and 2 required).
    codes_matiere: tuple[int, ...]
    #: ``Objet``: subject, 500 characters at most.
    objet: str
    #: ``ClassificationDateVersion``: date of the classification version used.
    classification_date_version: dt.date
    #: ``Document``: the act itself (PDF; XML for budget documents).
    document: SignedFile
    #: ``Annexes/Annexe``: the annexes, in order; ``Annexes/@Nombre`` is their count.
    annexes: tuple[SignedFile, ...] = ()
    #: ``DocumentPapier``: paper documents follow by mail; ``None`` when absent (older messages).
    document_papier: bool | None = False
    #: ``PrecedentIdentifiantActe/@IDActe``: an act already transmitted that this one replaces.
    precedent_identifiant_acte: str | None = None

    @property
    def nature_abbreviation(self) -> str:
        """Two-letter nature code used in names and in ``IDActe`` (``DE``, ``AR``…)."""
        if self.code_nature_acte not in NATURES:
            raise MessageError(f"Code nature d'acte inconnu : {self.code_nature_acte}.")
        return NATURES[self.code_nature_acte][0]

    @property
    def classification(self) -> str:
        """Classification codes as ``"1.2.3"``."""
        return ".".join(str(code) for code in self.codes_matiere)

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        root = new_root(self.ROOT)
        self.fill(root)
        return root

    def fill(self, element: etree._Element) -> None:
        """Write the ``DonneesActe`` attributes and children into ``element``, in schema order."""
        set_attrs(
            element, Date=self.date, NumeroInterne=self.numero_interne, CodeNatureActe=self.code_nature_acte
        )
        for level, code in enumerate(self.codes_matiere[:_MATIERE_LEVELS], start=1):
            sub(element, f"CodeMatiere{level}", CodeMatiere=code)
        sub(element, "Objet", self.objet)
        if self.precedent_identifiant_acte is not None:
            sub(element, "PrecedentIdentifiantActe", IDActe=self.precedent_identifiant_acte)
        sub(element, "ClassificationDateVersion", self.classification_date_version.isoformat())
        write_file(element, "Document", self.document)
        annexes = sub(element, "Annexes", Nombre=len(self.annexes))
        for annexe in self.annexes:
            write_file(annexes, "Annexe", annexe)
        if self.document_papier is not None:
            sub(element, "DocumentPapier", "O" if self.document_papier else "N")

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read ``DonneesActe`` from ``element`` (an ``Acte`` or ``ActeRecu``)."""
        codes = []
        for level in range(1, _MATIERE_LEVELS + 1):
            found = opt_child(element, f"CodeMatiere{level}")
            if found is None:
                break
            codes.append(parse_int(attr(found, "CodeMatiere"), f"CodeMatiere{level}"))
        annexes = opt_child(element, "Annexes")
        papier = opt_text(element, "DocumentPapier")
        precedent = opt_child(element, "PrecedentIdentifiantActe")
        return cls(
            date=parse_date(attr(element, "Date"), "Date"),
            numero_interne=attr(element, "NumeroInterne"),
            code_nature_acte=parse_int(attr(element, "CodeNatureActe"), "CodeNatureActe"),
            codes_matiere=tuple(codes),
            objet=text(element, "Objet"),
            classification_date_version=parse_date(
                text(element, "ClassificationDateVersion"), "ClassificationDateVersion"
            ),
            document=read_file(child(element, "Document")),
            annexes=tuple(read_file(a) for a in children(annexes, "Annexe")) if annexes is not None else (),
            document_papier=None if papier is None else papier.strip().upper() == "O",
            precedent_identifiant_acte=attr(precedent, "IDActe") if precedent is not None else None,
        )


def _first_date(element: etree._Element, local: str) -> dt.date:
    # Some real ARs repeat the element (one of them empty): the first non-empty one counts.
    for found in children(element, local):
        if (found.text or "").strip():
            return parse_date(found.text or "", local)
    raise MessageError(f"Élément {local} manquant dans {etree.QName(element).localname}.")


@dataclass(frozen=True, kw_only=True)
class ARActe:
    """1-2 ``ARActe``: the ministry acknowledges the act and gives its ``IDActe``."""

    ROOT: ClassVar[str] = "ARActe"
    CODE: ClassVar[str] = "1-2"

    #: ``@IDActe``: unique id of the act, reused in every later message.
    id_acte: str
    #: ``@DateReception``: date the ministry received the act.
    date_reception: dt.date
    #: ``ActeRecu``: copy of the act as received.
    acte_recu: Acte
    #: ``ClassificationDateVersionEnCours``: the préfecture's current classification date.
    classification_date_version_en_cours: dt.date

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        root = new_root(self.ROOT, IDActe=self.id_acte, DateReception=self.date_reception)
        self.acte_recu.fill(sub(root, "ActeRecu"))
        sub(root, "ClassificationDateVersionEnCours", self.classification_date_version_en_cours.isoformat())
        return root

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        return cls(
            id_acte=attr(element, "IDActe"),
            date_reception=parse_date(attr(element, "DateReception"), "DateReception"),
            acte_recu=Acte.from_element(child(element, "ActeRecu")),
            classification_date_version_en_cours=_first_date(element, "ClassificationDateVersionEnCours"),
        )


@dataclass(frozen=True, kw_only=True)
class AnomalieActe:
    """1-3 ``AnomalieActe``: the ministry rejects the act's form."""

    ROOT: ClassVar[str] = "AnomalieActe"
    CODE: ClassVar[str] = "1-3"

    #: ``Date``: date of the anomaly.
    date: dt.date
    #: ``Nature``: anomaly code (3 digits in the schema; kept as read, real messages differ).
    nature: str
    #: ``Detail``: explanation, when given.
    detail: str | None
    #: ``ActeRecu``: copy of the act as received.
    acte_recu: Acte
    #: ``ClassificationDateVersionEnCours``: the préfecture's current classification date.
    classification_date_version_en_cours: dt.date

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        root = new_root(self.ROOT)
        sub(root, "Date", self.date.isoformat())
        sub(root, "Nature", self.nature)
        if self.detail is not None:
            sub(root, "Detail", self.detail)
        self.acte_recu.fill(sub(root, "ActeRecu"))
        sub(root, "ClassificationDateVersionEnCours", self.classification_date_version_en_cours.isoformat())
        return root

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        detail = opt_text(element, "Detail")
        return cls(
            date=parse_date(text(element, "Date"), "Date"),
            nature=text(element, "Nature"),
            detail=detail.strip() if detail is not None else None,
            acte_recu=Acte.from_element(child(element, "ActeRecu")),
            classification_date_version_en_cours=_first_date(element, "ClassificationDateVersionEnCours"),
        )
