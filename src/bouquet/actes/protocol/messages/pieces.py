"""Additional documents: 3-1 request, 3-2 its AR, 3-3 refusal, 3-4 sending, 3-5 AR of 3-3/3-4."""

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
    read_files,
    write_file,
)

__all__ = [
    "DemandePieceComplementaire",
    "ARDemandePieceComplementaire",
    "RefusPieceComplementaire",
    "PieceComplementaire",
    "ARPieceComplementaire",
]


@dataclass(frozen=True, kw_only=True)
class DemandePieceComplementaire(CourrierMessage):
    """3-1 ``DemandePieceComplementaire``: the préfecture asks for additional documents."""

    ROOT: ClassVar[str] = "DemandePieceComplementaire"
    CODE: ClassVar[str] = "3-1"

    #: ``DescriptionPieces``: what is asked for (free text).
    description_pieces: str
    #: ``Document``: the letter.
    document: SignedFile

    def to_element(self) -> etree._Element:
        root = super().to_element()
        sub(root, "DescriptionPieces", self.description_pieces)
        write_file(root, "Document", self.document)
        return root

    @classmethod
    def _extra(cls, element: etree._Element) -> dict[str, Any]:
        return {
            "description_pieces": text(element, "DescriptionPieces"),
            "document": read_file(child(element, "Document")),
        }


@dataclass(frozen=True, kw_only=True)
class ARDemandePieceComplementaire(CourrierMessage):
    """3-2 ``ARDemandePieceComplementaire``: AR of a 3-1, sent automatically by the TdT."""

    ROOT: ClassVar[str] = "ARDemandePieceComplementaire"
    CODE: ClassVar[str] = "3-2"


@dataclass(frozen=True, kw_only=True)
class RefusPieceComplementaire(CourrierDocumentMessage):
    """3-3 ``RefusPieceComplementaire``: the authority refuses to send the documents."""

    ROOT: ClassVar[str] = "RefusPieceComplementaire"
    CODE: ClassVar[str] = "3-3"


@dataclass(frozen=True, kw_only=True)
class PieceComplementaire(CourrierMessage):
    """3-4 ``PieceComplementaire``: the authority sends the additional documents."""

    ROOT: ClassVar[str] = "PieceComplementaire"
    CODE: ClassVar[str] = "3-4"

    #: ``Documents/Document``: the documents sent (at least one).
    documents: tuple[SignedFile, ...]

    def to_element(self) -> etree._Element:
        root = super().to_element()
        documents = sub(root, "Documents")
        for document in self.documents:
            write_file(documents, "Document", document)
        return root

    @classmethod
    def _extra(cls, element: etree._Element) -> dict[str, Any]:
        return {"documents": read_files(child(element, "Documents"), "Document")}


@dataclass(frozen=True, kw_only=True)
class ARPieceComplementaire(ARReponseMessage):
    """3-5 ``ARPieceComplementaire``: the ministry acknowledges a 3-3 or 3-4."""

    ROOT: ClassVar[str] = "ARPieceComplementaire"
    CODE: ClassVar[str] = "3-5"
