"""5-1 ``DefereTA``: the préfecture refers the act to the administrative court."""

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Self

from lxml import etree

from ..xmlbuild import new_root, sub
from ..xmlread import attr, child, parse_date, text
from .common import SignedFile, read_files, write_file

__all__ = ["DefereTA"]


@dataclass(frozen=True, kw_only=True)
class DefereTA:
    """5-1 ``DefereTA``: notice of referral to the administrative court (no AR is due)."""

    ROOT: ClassVar[str] = "DefereTA"
    CODE: ClassVar[str] = "5-1"

    #: ``@IDActe`` of the act referred.
    id_acte: str
    #: ``DateDepot``: filing date at the court.
    date_depot: dt.date
    #: ``NatureIllegalite``: the alleged illegality (free text).
    nature_illegalite: str
    #: ``PiecesJointes/PieceJointe``: the documents of the referral.
    pieces_jointes: tuple[SignedFile, ...] = ()

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        root = new_root(self.ROOT, IDActe=self.id_acte)
        sub(root, "DateDepot", self.date_depot.isoformat())
        sub(root, "NatureIllegalite", self.nature_illegalite)
        pieces = sub(root, "PiecesJointes")
        for piece in self.pieces_jointes:
            write_file(pieces, "PieceJointe", piece)
        return root

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        return cls(
            id_acte=attr(element, "IDActe"),
            date_depot=parse_date(text(element, "DateDepot"), "DateDepot"),
            nature_illegalite=text(element, "NatureIllegalite"),
            pieces_jointes=read_files(child(element, "PiecesJointes"), "PieceJointe"),
        )
