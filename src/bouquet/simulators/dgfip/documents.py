"""PES_ACQUIT and PES_Retour files as the DGFiP writes them, modelled on real samples.

Written with the stdlib's ElementTree (the simulator must not depend on more than the PES library),
in ISO-8859-1 with the ``n:`` prefix on the root and unqualified children, like Hélios' own files.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime

from bouquet.helios.pes.constants import ACQUIT_NS, RETOUR_NS

__all__ = ["AckItem", "Identity", "acquit_name", "acquit_xml", "retour_name", "retour_xml"]

_DECLARATION = '<?xml version="1.0" encoding="ISO-8859-1"?>\n'


@dataclass(frozen=True)
class AckItem:
    """One ``ElementACQUIT``: a bordereau, a PJ, a marché, or the whole file (no identifier)."""

    domain: str  #: ``DomaineAck`` code
    ok: bool
    num_bord: str | None = None
    exercice_bord: str | None = None
    id_marche: str | None = None
    id_unique: str | None = None
    errors: tuple[tuple[str, str], ...] = ()  #: (``NumAnoAck``, ``LibelleAnoAck``)


@dataclass(frozen=True)
class Identity:
    """Envelope and header values copied from the PES_Aller into its acquittement."""

    nom_fic: str
    typ_fic: str = "PESALR2"
    emetteur_sigle: str = "DGFIP"
    emetteur_adresse: str = "HELIOS"
    dte_str: str = field(default_factory=lambda: date.today().isoformat())
    id_post: str = "000000"
    id_coll: str = "0"
    cod_col: str = "999"
    cod_bud: str = "00"
    libelle_col_bud: str | None = None


def _v(parent: ET.Element, name: str, value: str | None) -> None:
    if value is not None:
        ET.SubElement(parent, name, V=value)


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="    ")
    text = ET.tostring(root, encoding="unicode").replace(" />", "/>")  # as Hélios writes them
    return (_DECLARATION + text + "\n").encode("iso-8859-1", "xmlcharrefreplace")


def acquit_xml(identity: Identity, items: list[AckItem]) -> bytes:
    """A PES_ACQUIT (``PES_V2_Acquit_Autonome_V2.xsd``) answering one PES_Aller."""
    root = ET.Element("n:PES_ACQUIT", {"xmlns:n": ACQUIT_NS})
    envelope = ET.SubElement(root, "Enveloppe")
    parametres = ET.SubElement(envelope, "Parametres")
    _v(parametres, "Version", "2")
    _v(parametres, "TypFic", identity.typ_fic[:32])
    _v(parametres, "NomFic", identity.nom_fic[:100])
    emetteur = ET.SubElement(envelope, "Emetteur")
    _v(emetteur, "Sigle", identity.emetteur_sigle[:32])
    _v(emetteur, "Adresse", identity.emetteur_adresse[:38])
    _v(ET.SubElement(envelope, "Recepteur"), "Sigle", "HELIOS")
    header = ET.SubElement(root, "EnTetePES")
    _v(header, "DteStr", identity.dte_str)
    _v(header, "IdPost", identity.id_post)
    _v(header, "IdColl", identity.id_coll)
    _v(header, "CodCol", identity.cod_col)
    _v(header, "CodBud", identity.cod_bud)
    _v(header, "LibelleColBud", identity.libelle_col_bud and identity.libelle_col_bud[:38])
    acquit = ET.SubElement(root, "ACQUIT")
    _v(ET.SubElement(acquit, "EnTeteAcquit"), "IdVer", "2")
    for item in items:
        element = ET.SubElement(acquit, "ElementACQUIT")
        _v(element, "DomaineAck", item.domain)
        _v(element, "EtatAck", "1" if item.ok else "0")
        _v(element, "NumBord", item.num_bord)
        _v(element, "ExerciceBord", item.exercice_bord)
        _v(element, "IdMarche", item.id_marche)
        _v(element, "IdUnique", item.id_unique)
        for code, label in item.errors:
            erreur = ET.SubElement(element, "Erreur")
            _v(erreur, "NumAnoAck", code)
            _v(erreur, "LibelleAnoAck", label[:500])
    return _serialise(root)


def acquit_name(received: str) -> str:
    """DGFiP naming seen in real exchanges: ``PESALR2_…xml`` is answered by ``ACQUIT_PESALR2_…xml``."""
    return f"ACQUIT_{received}"


def retour_name(cod_col: str, cod_bud: str, id_post: str, when: datetime) -> str:
    """Hélios' name for a dépense retour, e.g. ``PES2R_DEP_P_710_20_044090_20250307_20250307_…xml``."""
    day = when.strftime("%Y%m%d")
    return f"PES2R_DEP_P_{cod_col}_{cod_bud}_{id_post}_{day}_{day}_{when:%Y%m%d%H%M%S}.xml"


def retour_xml(
    *,
    nom_fic: str,
    id_coll: str,
    cod_col: str,
    cod_bud: str = "01",
    id_post: str = "034000",
    libelle_poste: str = "TRESORERIE SIMULEE",
    when: datetime | None = None,
) -> bytes:
    """A PES_Retour of dépense (one bordereau, one paid mandat), like the DGFiP's daily returns."""
    when = when or datetime.now()
    root = ET.Element("n:PES_Retour", {"xmlns:n": RETOUR_NS})
    parametres = ET.SubElement(ET.SubElement(root, "Enveloppe"), "Parametres")
    _v(parametres, "Version", "2")
    _v(parametres, "TypFic", "PESRETOUR_DEP")
    _v(parametres, "NomFic", nom_fic)
    header = ET.SubElement(root, "EnTetePES")
    _v(header, "DteStr", when.date().isoformat())
    _v(header, "IdPost", id_post)
    _v(header, "LibellePoste", libelle_poste[:38])
    _v(header, "IdColl", id_coll)
    _v(header, "CodColl", cod_col)
    _v(header, "CodBud", cod_bud)
    depense = ET.SubElement(root, "PES_DepenseRetour")
    entete = ET.SubElement(depense, "EnTeteDepense")
    _v(entete, "TypRestit", "AA")
    _v(entete, "IdVer", "2")
    _v(entete, "NatInf", "2")
    bordereau = ET.SubElement(depense, "Bordereau")
    bloc = ET.SubElement(bordereau, "BlocBordereau")
    _v(bloc, "Exer", str(when.year))
    _v(bloc, "IdBord", when.strftime("%j0001").lstrip("0") or "1")
    _v(bloc, "TypBord", "01")
    piece = ET.SubElement(bordereau, "Piece")
    info = ET.SubElement(piece, "InfoPiece")
    for name, value in (
        ("IdPce", "1"),
        ("TypPce", "01"),
        ("NatPce", "01"),
        ("Obj", "MANDAT SIMULE"),
        ("DtePcePec", when.date().isoformat()),
        ("EtatPce", "01"),
    ):
        _v(info, name, value)
    ligne = ET.SubElement(
        ET.SubElement(ET.SubElement(piece, "LigneDePiece"), "BlocLignePiece"), "InfoLignePiece"
    )
    for name, value in (
        ("IdLigne", "1"),
        ("EtatLigPce", "01"),
        ("LibVir1", "SIMULATEUR DGFIP"),
        ("MtHT", "100.00"),
    ):
        _v(ligne, name, value)
    return _serialise(root)
