"""Letters of observations: 4-1 letter, 4-2 its AR, 4-3 rejection, 4-4 answer, 4-5 AR of 4-3/4-4."""

from dataclasses import dataclass
from typing import Any, ClassVar

from lxml import etree

from ..xmlbuild import sub
from ..xmlread import child, text
from .common import (
    ARReponseMessage,
    CourrierDocumentMessage,
    CourrierMessage,
    SignedFile,
    read_file,
    write_file,
)

__all__ = [
    "LettreObservations",
    "ARLettreObservations",
    "RejetLettreObservations",
    "ReponseLettreObservations",
    "ARReponseRejetLettreObservations",
]


@dataclass(frozen=True, kw_only=True)
class LettreObservations(CourrierMessage):
    """4-1 ``LettreObservations``: the préfecture's observations on an act."""

    ROOT: ClassVar[str] = "LettreObservations"
    CODE: ClassVar[str] = "4-1"

    #: ``Motif``: reason of the observations (free text).
    motif: str
    #: ``Document``: the letter.
    document: SignedFile

    def to_element(self) -> etree._Element:
        root = super().to_element()
        sub(root, "Motif", self.motif)
        write_file(root, "Document", self.document)
        return root

    @classmethod
    def _extra(cls, element: etree._Element) -> dict[str, Any]:
        return {"motif": text(element, "Motif"), "document": read_file(child(element, "Document"))}


@dataclass(frozen=True, kw_only=True)
class ARLettreObservations(CourrierMessage):
    """4-2 ``ARLettreObservations``: AR of a 4-1, sent automatically by the TdT."""

    ROOT: ClassVar[str] = "ARLettreObservations"
    CODE: ClassVar[str] = "4-2"


@dataclass(frozen=True, kw_only=True)
class RejetLettreObservations(CourrierDocumentMessage):
    """4-3 ``RejetLettreObservations``: the authority explicitly declines to answer."""

    ROOT: ClassVar[str] = "RejetLettreObservations"
    CODE: ClassVar[str] = "4-3"


@dataclass(frozen=True, kw_only=True)
class ReponseLettreObservations(CourrierDocumentMessage):
    """4-4 ``ReponseLettreObservations``: the authority's answer."""

    ROOT: ClassVar[str] = "ReponseLettreObservations"
    CODE: ClassVar[str] = "4-4"


@dataclass(frozen=True, kw_only=True)
class ARReponseRejetLettreObservations(ARReponseMessage):
    """4-5 ``ARReponseRejetLettreObservations``: the ministry acknowledges a 4-3 or 4-4."""

    ROOT: ClassVar[str] = "ARReponseRejetLettreObservations"
    CODE: ClassVar[str] = "4-5"
