"""Types shared by several @ctes messages: ``FichierSigne`` and the préfecture-letter reference."""

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from lxml import etree

from ..xmlbuild import new_root, sub
from ..xmlread import attr, child, children, opt_child, parse_date, text

__all__ = [
    "SignedFile",
    "write_file",
    "read_file",
    "read_files",
    "CourrierRef",
    "read_courrier_ref",
    "CourrierMessage",
    "CourrierDocumentMessage",
    "ARReponseMessage",
]


@dataclass(frozen=True)
class SignedFile:
    """``FichierSigne``: a file of the archive named in a message."""

    #: ``NomFichier``: name of the file inside the archive.
    nom_fichier: str
    #: ``Signature``: detached signature (base64 text), when the user gave one.
    signature: str | None = None


def write_file(parent: etree._Element, local: str, file: SignedFile) -> etree._Element:
    """Append ``actes:<local>`` holding ``NomFichier`` and the optional ``Signature``."""
    element = sub(parent, local)
    sub(element, "NomFichier", file.nom_fichier)
    if file.signature is not None:
        sub(element, "Signature", file.signature)
    return element


def read_file(element: etree._Element) -> SignedFile:
    """Read a ``FichierSigne`` element."""
    signature = opt_child(element, "Signature")
    return SignedFile(
        nom_fichier=text(element, "NomFichier"),
        signature=(signature.text or "").strip() if signature is not None else None,
    )


def read_files(element: etree._Element, local: str) -> tuple[SignedFile, ...]:
    """Read every child ``actes:<local>`` as a ``FichierSigne``."""
    return tuple(read_file(item) for item in children(element, local))


@dataclass(frozen=True)
class CourrierRef:
    """``DonneesCourrierPref``: the act a préfecture letter is about, and the letter's date."""

    #: ``IDActe`` given by the ministry in the ARActe.
    id_acte: str
    #: ``DateCourrierPref``: date of the préfecture's letter.
    date_courrier_pref: dt.date


def read_courrier_ref(element: etree._Element) -> CourrierRef:
    """Read the ``IDActe`` / ``DateCourrierPref`` attributes."""
    return CourrierRef(
        id_acte=attr(element, "IDActe"),
        date_courrier_pref=parse_date(attr(element, "DateCourrierPref"), "DateCourrierPref"),
    )


@dataclass(frozen=True, kw_only=True)
class CourrierMessage:
    """Base of the messages made of ``DonneesCourrierPref`` only (3-2, 4-2); subclasses set ``ROOT``."""

    ROOT: ClassVar[str] = ""
    CODE: ClassVar[str] = ""

    #: ``IDActe`` of the act the letter is about.
    id_acte: str
    #: ``DateCourrierPref``: date of the préfecture's letter.
    date_courrier_pref: dt.date

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        return new_root(self.ROOT, IDActe=self.id_acte, DateCourrierPref=self.date_courrier_pref)

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        ref = read_courrier_ref(element)
        return cls(**cls._extra(element), id_acte=ref.id_acte, date_courrier_pref=ref.date_courrier_pref)

    @classmethod
    def _extra(cls, element: etree._Element) -> dict[str, Any]:
        return {}


@dataclass(frozen=True, kw_only=True)
class CourrierDocumentMessage(CourrierMessage):
    """Base of ``DonneesCourrierPref`` + one ``Document`` (2-1, 2-2, 3-3, 4-3, 4-4)."""

    #: ``Document``: the letter or answer (PDF).
    document: SignedFile

    def to_element(self) -> etree._Element:
        root = super().to_element()
        write_file(root, "Document", self.document)
        return root

    @classmethod
    def _extra(cls, element: etree._Element) -> dict[str, Any]:
        return {"document": read_file(child(element, "Document"))}


@dataclass(frozen=True, kw_only=True)
class ARReponseMessage:
    """Base of ``ARReponseCL`` (3-5, 4-5): the ministry acknowledges an answer to its letter."""

    ROOT: ClassVar[str] = ""
    CODE: ClassVar[str] = ""

    #: ``InfosCourrierPref/@IDActe``.
    id_acte: str
    #: ``InfosCourrierPref/@DateCourrierPref``.
    date_courrier_pref: dt.date
    #: ``DateReception``: when the ministry received the answer.
    date_reception: dt.date

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        root = new_root(self.ROOT, DateReception=self.date_reception)
        sub(root, "InfosCourrierPref", IDActe=self.id_acte, DateCourrierPref=self.date_courrier_pref)
        return root

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        ref = read_courrier_ref(child(element, "InfosCourrierPref"))
        return cls(
            id_acte=ref.id_acte,
            date_courrier_pref=ref.date_courrier_pref,
            date_reception=parse_date(attr(element, "DateReception"), "DateReception"),
        )
