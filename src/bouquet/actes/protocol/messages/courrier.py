"""Simple letters: 2-1 ``CourrierSimple`` (préfecture) and 2-2 ``ReponseCourrierSimple`` (authority)."""

from dataclasses import dataclass
from typing import ClassVar

from .common import CourrierDocumentMessage

__all__ = ["CourrierSimple", "ReponseCourrierSimple"]


@dataclass(frozen=True, kw_only=True)
class CourrierSimple(CourrierDocumentMessage):
    """2-1 ``CourrierSimple``: a simple letter from the préfecture about an act (no AR is due)."""

    ROOT: ClassVar[str] = "CourrierSimple"
    CODE: ClassVar[str] = "2-1"


@dataclass(frozen=True, kw_only=True)
class ReponseCourrierSimple(CourrierDocumentMessage):
    """2-2 ``ReponseCourrierSimple``: the authority's answer to a simple letter."""

    ROOT: ClassVar[str] = "ReponseCourrierSimple"
    CODE: ClassVar[str] = "2-2"
