"""Classification: 7-1 ``DemandeClassification``, 7-2 ``RetourClassification``, 7-3 no change."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from lxml import etree

from ..xmlbuild import new_root, sub
from ..xmlread import attr, child, children, opt_attr, opt_child, parse_date, parse_int, text

__all__ = [
    "DemandeClassification",
    "ReponseClassificationSansChangement",
    "RetourClassification",
    "NatureActe",
    "TypePJ",
    "Matiere",
]

_MAX_LEVEL = 5


@dataclass(frozen=True, kw_only=True)
class DemandeClassification:
    """7-1 ``DemandeClassification``: ask the préfecture for its current classification."""

    ROOT: ClassVar[str] = "DemandeClassification"
    CODE: ClassVar[str] = "7-1"

    #: ``DateClassification``: the version the authority uses; ``None`` forces a full answer.
    date_classification: dt.date | None = None

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        root = new_root(self.ROOT)
        if self.date_classification is not None:
            sub(root, "DateClassification", self.date_classification.isoformat())
        return root

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        found = opt_child(element, "DateClassification")
        if found is None or not (found.text or "").strip():
            return cls()
        return cls(date_classification=parse_date(found.text or "", "DateClassification"))


@dataclass(frozen=True, kw_only=True)
class ReponseClassificationSansChangement:
    """7-3 ``ReponseClassificationSansChangement``: the authority's classification is up to date."""

    ROOT: ClassVar[str] = "ReponseClassificationSansChangement"
    CODE: ClassVar[str] = "7-3"

    #: ``DateClassification``: the current version date.
    date_classification: dt.date

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        root = new_root(self.ROOT)
        sub(root, "DateClassification", self.date_classification.isoformat())
        return root

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        return cls(date_classification=parse_date(text(element, "DateClassification"), "DateClassification"))


@dataclass(frozen=True)
class TypePJ:
    """``TypePJNatureActe``: a typology (document type) allowed for a nature."""

    #: ``@CodeTypePJ``: 5-character code such as ``99_DE``.
    code: str
    #: ``@Libelle``.
    libelle: str


@dataclass(frozen=True)
class NatureActe:
    """``NatureActe`` of a classification, with its allowed typologies."""

    #: ``@CodeNatureActe`` (1 to 6).
    code: int
    #: ``@Libelle``.
    libelle: str
    #: ``@TypeAbrege``: two letters (``DE``, ``AR``…).
    type_abrege: str
    #: ``TypePJNatureActe``: allowed typologies; empty in classifications older than typologies.
    types_pj: tuple[TypePJ, ...] = ()


@dataclass(frozen=True)
class Matiere:
    """``Matiere1`` to ``Matiere5``: a node of the subject tree."""

    #: ``@CodeMatiere``.
    code: int
    #: ``@Libelle``.
    libelle: str
    #: Sub-subjects (next level).
    children: tuple["Matiere", ...] = ()


def _read_matiere(element: etree._Element, level: int) -> Matiere:
    kids = children(element, f"Matiere{level + 1}") if level < _MAX_LEVEL else []
    return Matiere(
        code=parse_int(attr(element, "CodeMatiere"), f"Matiere{level}/@CodeMatiere"),
        libelle=opt_attr(element, "Libelle") or "",
        children=tuple(_read_matiere(kid, level + 1) for kid in kids),
    )


def _write_matiere(parent: etree._Element, matiere: Matiere, level: int) -> None:
    element = sub(parent, f"Matiere{level}", CodeMatiere=matiere.code, Libelle=matiere.libelle)
    for kid in matiere.children:
        _write_matiere(element, kid, level + 1)


@dataclass(frozen=True, kw_only=True)
class RetourClassification:
    """7-2 ``RetourClassification``: the préfecture's classification (natures, typologies, subjects)."""

    ROOT: ClassVar[str] = "RetourClassification"
    CODE: ClassVar[str] = "7-2"

    #: ``DateClassification``: version date, written in each act's ``ClassificationDateVersion``.
    date_classification: dt.date
    #: ``NaturesActes/NatureActe``.
    natures: tuple[NatureActe, ...]
    #: ``Matieres/Matiere1``: the subject tree.
    matieres: tuple[Matiere, ...]

    def nature(self, code: int) -> NatureActe | None:
        """The nature with this code, or ``None``."""
        return next((nature for nature in self.natures if nature.code == code), None)

    def typologies_for(self, code: int) -> frozenset[str]:
        """Typology codes allowed for the nature ``code`` (empty if unknown)."""
        nature = self.nature(code)
        return frozenset(t.code for t in nature.types_pj) if nature else frozenset()

    def find_matiere(self, codes: Sequence[int]) -> Matiere | None:
        """The subject node reached by following ``codes`` from level 1, or ``None``."""
        level: Sequence[Matiere] = self.matieres
        found: Matiere | None = None
        for code in codes:
            found = next((m for m in level if m.code == code), None)
            if found is None:
                return None
            level = found.children
        return found

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        root = new_root(self.ROOT)
        sub(root, "DateClassification", self.date_classification.isoformat())
        natures = sub(root, "NaturesActes")
        for nature in self.natures:
            element = sub(
                natures,
                "NatureActe",
                CodeNatureActe=nature.code,
                Libelle=nature.libelle,
                TypeAbrege=nature.type_abrege,
            )
            for type_pj in nature.types_pj:
                sub(element, "TypePJNatureActe", CodeTypePJ=type_pj.code, Libelle=type_pj.libelle)
        matieres = sub(root, "Matieres")
        for matiere in self.matieres:
            _write_matiere(matieres, matiere, 1)
        return root

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        natures = tuple(
            NatureActe(
                code=parse_int(attr(nature, "CodeNatureActe"), "CodeNatureActe"),
                libelle=opt_attr(nature, "Libelle") or "",
                type_abrege=attr(nature, "TypeAbrege"),
                types_pj=tuple(
                    TypePJ(attr(t, "CodeTypePJ"), opt_attr(t, "Libelle") or "")
                    for t in children(nature, "TypePJNatureActe")
                ),
            )
            for nature in children(child(element, "NaturesActes"), "NatureActe")
        )
        return cls(
            date_classification=parse_date(text(element, "DateClassification"), "DateClassification"),
            natures=natures,
            matieres=tuple(_read_matiere(m, 1) for m in children(child(element, "Matieres"), "Matiere1")),
        )
