"""Envelopes: ``EnveloppeCLMISILL`` (authority), ``EnveloppeMISILLCL`` (ministry), ``AnomalieEnveloppe``."""

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Literal, Self

from lxml import etree

from ..constants import ANOMALY_ENVELOPE, ENVELOPE_CL, ENVELOPE_MI
from ..errors import MessageError
from ..xmlbuild import new_root, sub
from ..xmlread import attr, child, children, opt_attr, opt_child, opt_text, parse_date, text
from .common import SignedFile, read_files, write_file

__all__ = ["IDCL", "Referent", "EnveloppeCLMISILL", "EnveloppeMISILLCL", "AnomalieEnveloppe", "EmetteurMI"]

EmetteurMI = Literal["IDSGAR", "IDPref", "IDSousPref"]


@dataclass(frozen=True)
class IDCL:
    """``IDCL``: the sending authority."""

    #: ``@insee:SIREN`` (9 digits).
    siren: str
    #: ``@Departement``: 3 characters (``034``, ``02A``, ``974``).
    departement: str
    #: ``@Arrondissement``: one digit.
    arrondissement: str
    #: ``@Nature``: authority type code, 2 digits (``31`` = commune).
    nature: str


@dataclass(frozen=True)
class Referent:
    """``Referent``: the person to contact (every field optional)."""

    nom: str | None = None
    telephone: str | None = None
    email: str | None = None


def _write_referent(parent: etree._Element, referent: Referent) -> None:
    element = sub(parent, "Referent")
    for local, value in (("Nom", referent.nom), ("Telephone", referent.telephone), ("Email", referent.email)):
        if value is not None:
            sub(element, local, value)


def _read_referent(parent: etree._Element) -> Referent | None:
    element = opt_child(parent, "Referent")
    if element is None:
        return None
    return Referent(opt_text(element, "Nom"), opt_text(element, "Telephone"), opt_text(element, "Email"))


@dataclass(frozen=True, kw_only=True)
class EnveloppeCLMISILL:
    """``EnveloppeCLMISILL``: envelope of an archive sent by an authority."""

    ROOT: ClassVar[str] = ENVELOPE_CL
    CODE: ClassVar[str] = ENVELOPE_CL

    #: ``Emetteur/IDCL``.
    idcl: IDCL
    #: ``Emetteur/Referent``.
    referent: Referent | None = None
    #: ``AdressesRetour/Email``: where the ministry mails its answers (the TdT's own address first).
    adresses_retour: tuple[str, ...]
    #: ``FormulairesEnvoyes/Formulaire``: the message XML files of the archive.
    formulaires: tuple[SignedFile, ...]

    def to_element(self) -> etree._Element:
        """The envelope as an lxml element (not yet validated)."""
        root = new_root(self.ROOT)
        self.fill(root)
        return root

    def fill(self, element: etree._Element) -> None:
        """Write the ``DonneesEnveloppeCLMISILL`` children into ``element``."""
        emetteur = sub(element, "Emetteur")
        idcl = self.idcl
        sub(
            emetteur,
            "IDCL",
            SIREN=idcl.siren,
            Departement=idcl.departement,
            Arrondissement=idcl.arrondissement,
            Nature=idcl.nature,
        )
        if self.referent is not None:
            _write_referent(emetteur, self.referent)
        adresses = sub(element, "AdressesRetour")
        for email in self.adresses_retour:
            sub(adresses, "Email", email)
        formulaires = sub(element, "FormulairesEnvoyes")
        for formulaire in self.formulaires:
            write_file(formulaires, "Formulaire", formulaire)

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read ``DonneesEnveloppeCLMISILL`` from ``element``."""
        emetteur = child(element, "Emetteur")
        idcl = child(emetteur, "IDCL")
        return cls(
            idcl=IDCL(
                siren=attr(idcl, "SIREN"),
                departement=attr(idcl, "Departement"),
                arrondissement=attr(idcl, "Arrondissement"),
                nature=attr(idcl, "Nature"),
            ),
            referent=_read_referent(emetteur),
            adresses_retour=tuple(
                (e.text or "").strip() for e in children(child(element, "AdressesRetour"), "Email")
            ),
            formulaires=read_files(child(element, "FormulairesEnvoyes"), "Formulaire"),
        )


@dataclass(frozen=True, kw_only=True)
class EnveloppeMISILLCL:
    """``EnveloppeMISILLCL``: envelope of the files the ministry sends to an authority."""

    ROOT: ClassVar[str] = ENVELOPE_MI
    CODE: ClassVar[str] = ENVELOPE_MI

    #: Kind of emitter: ``IDSGAR``, ``IDPref`` or ``IDSousPref``.
    emetteur: EmetteurMI
    #: ``@Departement`` of the emitter.
    departement: str
    #: ``@Arrondissement`` (only for ``IDSousPref``).
    arrondissement: str | None = None
    #: ``Emetteur/Referent``.
    referent: Referent | None = None
    #: ``FormulairesEnvoyes/Formulaire``: the message XML files.
    formulaires: tuple[SignedFile, ...]
    #: ``Destinataire/@insee:SIREN``: the receiving authority.
    destinataire_siren: str

    def to_element(self) -> etree._Element:
        """The envelope as an lxml element (not yet validated)."""
        root = new_root(self.ROOT)
        emetteur = sub(root, "Emetteur")
        sub(emetteur, self.emetteur, Departement=self.departement, Arrondissement=self.arrondissement)
        if self.referent is not None:
            _write_referent(emetteur, self.referent)
        formulaires = sub(root, "FormulairesEnvoyes")
        for formulaire in self.formulaires:
            write_file(formulaires, "Formulaire", formulaire)
        sub(root, "Destinataire", SIREN=self.destinataire_siren)
        return root

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the envelope from its root element."""
        emetteur = child(element, "Emetteur")
        kinds: tuple[EmetteurMI, ...] = ("IDSGAR", "IDPref", "IDSousPref")
        for kind in kinds:
            found = opt_child(emetteur, kind)
            if found is not None:
                return cls(
                    emetteur=kind,
                    departement=attr(found, "Departement"),
                    arrondissement=opt_attr(found, "Arrondissement"),
                    referent=_read_referent(emetteur),
                    formulaires=read_files(child(element, "FormulairesEnvoyes"), "Formulaire"),
                    destinataire_siren=attr(child(element, "Destinataire"), "SIREN"),
                )
        raise MessageError("Émetteur (IDSGAR, IDPref ou IDSousPref) manquant dans EnveloppeMISILLCL.")


@dataclass(frozen=True, kw_only=True)
class AnomalieEnveloppe:
    """``AnomalieEnveloppe``: the ministry rejects a whole envelope (file name ``ANO_<envelope>``)."""

    ROOT: ClassVar[str] = ANOMALY_ENVELOPE
    CODE: ClassVar[str] = ANOMALY_ENVELOPE

    #: ``Date`` of the anomaly.
    date: dt.date
    #: ``Nature``: anomaly code as read (the schema lists 001-005 and 100; real ones vary).
    nature: str
    #: ``Detail``: explanation, when given.
    detail: str | None
    #: ``EnveloppeRecue``: copy of the rejected envelope.
    enveloppe_recue: EnveloppeCLMISILL

    def to_element(self) -> etree._Element:
        """The message as an lxml element (not yet validated)."""
        root = new_root(self.ROOT)
        sub(root, "Date", self.date.isoformat())
        sub(root, "Nature", self.nature)
        if self.detail is not None:
            sub(root, "Detail", self.detail)
        self.enveloppe_recue.fill(sub(root, "EnveloppeRecue"))
        return root

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Read the message from its root element."""
        detail = opt_text(element, "Detail")
        return cls(
            date=parse_date(text(element, "Date"), "Date"),
            nature=text(element, "Nature"),
            detail=detail.strip() if detail is not None else None,
            enveloppe_recue=EnveloppeCLMISILL.from_element(child(element, "EnveloppeRecue")),
        )
