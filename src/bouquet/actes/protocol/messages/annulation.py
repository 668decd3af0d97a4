"""Cancellation: 6-1 ``Annulation`` (authority) and 6-2 ``ARAnnulation`` (ministry)."""

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Self

from lxml import etree

from ..xmlbuild import new_root
from ..xmlread import attr, parse_date

__all__ = ["Annulation", "ARAnnulation"]


@dataclass(frozen=True, kw_only=True)
class Annulation:
    """6-1 ``Annulation``: cancel the transmission of an acknowledged act."""

    ROOT: ClassVar[str] = "Annulation"
    CODE: ClassVar[str] = "6-1"

    #: ``@IDActe`` of the act to cancel.
    id_acte: str

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        return new_root(self.ROOT, IDActe=self.id_acte)

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        return cls(id_acte=attr(element, "IDActe"))


@dataclass(frozen=True, kw_only=True)
class ARAnnulation:
    """6-2 ``ARAnnulation``: the ministry acknowledges the cancellation."""

    ROOT: ClassVar[str] = "ARAnnulation"
    CODE: ClassVar[str] = "6-2"

    #: ``@IDActe`` of the cancelled act.
    id_acte: str
    #: ``@DateReception``: date the ministry received the cancellation.
    date_reception: dt.date

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        return new_root(self.ROOT, IDActe=self.id_acte, DateReception=self.date_reception)

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        return cls(
            id_acte=attr(element, "IDActe"),
            date_reception=parse_date(attr(element, "DateReception"), "DateReception"),
        )
