"""Streaming reader of PES files: one pass, bounded memory, nothing of the base64 attachments kept."""

from __future__ import annotations

import os
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ._xml import HashingReader, PESSource, check_size, local_name, open_source, release, secure_iterparse
from .acquit import ack_element, ack_retour_element
from .constants import DSIG_NS, ENCODING_WINDOW, MAX_FILE_SIZE, ROOT_NAMESPACES, PESKind
from .errors import PESRootError
from .model import (
    Attachment,
    Bordereau,
    Envelope,
    Header,
    Marche,
    PESDocument,
    RetourBlock,
    SignatureLocation,
)

__all__ = ["read_pes"]

_DS_SIGNATURE = f"{{{DSIG_NS}}}Signature"
_DS_REFERENCE = f"{{{DSIG_NS}}}Reference"
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BORDEREAU_PARENTS = {"PES_DepenseAller": "depense", "PES_RecetteAller": "recette"}
_HEADER_FIELDS = {
    "DteStr": "dte_str",
    "IdPost": "id_post",
    "LibellePoste": "libelle_poste",
    "IdColl": "id_coll",
    "CodCol": "cod_col",
    "CodColl": "cod_col",
    "CodBud": "cod_bud",
    "LibelleColBud": "libelle_col_bud",
}


def read_pes(source: PESSource, *, max_size: int = MAX_FILE_SIZE) -> PESDocument:
    """Read a PES_Aller, PES_ACQUIT, PES_Retour or PES_ACQUIT_RETOUR in one streaming pass.

    The size is checked before parsing; DOCTYPEs are refused; memory stays bounded by the largest
    single attachment, whatever the number of pieces.

    :raises PESTooLargeError: the file is over ``max_size`` bytes.
    :raises PESSyntaxError: not well-formed (truncated, not XML, wrong encoding).
    :raises PESForbiddenXMLError: DOCTYPE or entity declarations.
    :raises PESRootError: the root element is not a PES document.
    """
    check_size(source, max_size)
    owned = isinstance(source, str | os.PathLike)
    reader = HashingReader(open_source(source), max_size=max_size, owned=owned)
    try:
        state = _State()
        for event, element in secure_iterparse(reader):
            if event == "start":
                state.start(element)
            else:
                state.end(element)
        while reader.read():
            pass
    finally:
        reader.close()
    return state.result(reader)


def _decimal(value: str | None) -> Decimal | None:
    try:
        return None if value is None else Decimal(value)
    except InvalidOperation:
        return None


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


class _State:
    def __init__(self) -> None:
        self.kind: PESKind | None = None
        self.root: Any = None
        self.path: list[str] = []
        self.envelope: dict[str, str | None] = {}
        self.header: dict[str, str | None] = {}
        self.top_level: list[str] = []
        self.bordereaux: list[Bordereau] = []
        self.attachments: list[Attachment] = []
        self.marches: list[Marche] = []
        self.signatures: list[SignatureLocation] = []
        self.ack: list[Any] = []
        self.ack_retour: list[Any] = []
        self.retour: list[RetourBlock] = []
        self.ids: set[str] = set()
        self.duplicates: set[str] = set()
        self.signature_depth: int | None = None
        self.first_reference: str | None = None
        self.bordereau: dict[str, Any] = {}
        self.retour_block: dict[str, Any] = {}
        self.fichier: tuple[int, str | None] = (0, None)

    # -- events ------------------------------------------------------------------------------------
    def start(self, element: Any) -> None:
        name = local_name(element.tag)
        if self.root is None:
            self._start_root(element, name)
        depth = len(self.path)
        self.path.append(name)
        identifier = element.get("Id")
        if identifier is not None:
            if identifier in self.ids:
                self.duplicates.add(identifier)
            self.ids.add(identifier)
        if depth == 1:
            self.top_level.append(name)
            if self.kind is PESKind.RETOUR and name not in ("Enveloppe", "EnTetePES"):
                self.retour_block = {"tag": name, "typ_restit": None, "count": 0}
        if element.tag == _DS_SIGNATURE and self.signature_depth is None:
            self.signature_depth = depth
            self.first_reference = None
        elif depth == 2 and name == "Bordereau" and self.path[1] in _BORDEREAU_PARENTS:
            self.bordereau = {"pieces": 0, "signed": False}

    def end(self, element: Any) -> None:
        depth = len(self.path) - 1
        name = self.path.pop()
        if self.signature_depth is not None:
            self._end_in_signature(element, depth)
            return
        parent = self.path[-1] if self.path else None
        if depth == 3 and self.path[1] == "Enveloppe":
            self.envelope[f"{self.path[2]}/{name}"] = element.get("V")
        elif depth == 2 and self.path[1] == "EnTetePES" and name in _HEADER_FIELDS:
            self.header[_HEADER_FIELDS[name]] = element.get("V")
        elif self.kind is PESKind.ALLER:
            self._end_aller(element, name, parent, depth)
        elif self.kind is PESKind.ACQUIT and depth == 2 and name == "ElementACQUIT":
            self.ack.append(ack_element(element))
        elif self.kind is PESKind.ACQUIT_RETOUR and depth == 2 and name == "ElementACQUIT_RETOUR":
            self.ack_retour.append(ack_retour_element(element))
        elif self.kind is PESKind.RETOUR and self.retour_block:
            self._end_retour(element, name, depth)
        if 1 <= depth <= 2:
            release(element)

    # -- helpers -----------------------------------------------------------------------------------
    def _start_root(self, element: Any, name: str) -> None:
        self.root = element
        namespace = element.tag[1:].partition("}")[0] if element.tag.startswith("{") else None
        try:
            kind = PESKind(name)
        except ValueError:
            raise PESRootError(
                f"Élément racine « {name} » inconnu : un fichier PES commence par PES_Aller, "
                "PES_ACQUIT, PES_Retour ou PES_ACQUIT_RETOUR.",
                line=element.sourceline,
            ) from None
        if namespace != ROOT_NAMESPACES[kind]:
            raise PESRootError(
                f"L'élément racine {name} n'est pas dans l'espace de noms attendu "
                f"({ROOT_NAMESPACES[kind]}) mais dans « {namespace or 'aucun'} ».",
                line=element.sourceline,
            )
        self.kind = kind

    def _end_in_signature(self, element: Any, depth: int) -> None:
        if element.tag == _DS_REFERENCE and self.first_reference is None:
            self.first_reference = element.get("URI")
        if depth != self.signature_depth:
            return
        self.signature_depth = None
        parent = element.getparent()
        self.signatures.append(
            SignatureLocation(
                id=element.get("Id"),
                parent_tag=local_name(parent.tag),
                parent_id=parent.get("Id"),
                first_reference=self.first_reference,
                line=element.sourceline,
            )
        )
        if self.bordereau and local_name(parent.tag) == "Bordereau":
            self.bordereau["signed"] = True

    def _end_aller(self, element: Any, name: str, parent: str | None, depth: int) -> None:
        if self.bordereau and depth == 3 and name == "BlocBordereau":
            self.bordereau.update(
                {child.tag: child.get("V") for child in element if isinstance(child.tag, str)}
            )
        elif self.bordereau and depth == 3 and name == "Piece":
            self.bordereau["pieces"] += 1
            release(element)
        elif self.bordereau and depth == 2 and name == "Bordereau":
            self._add_bordereau(element)
        elif name == "Fichier" and parent == "Contenu":
            self.fichier = (len(element.text or ""), element.get("MIMEType"))
            element.clear(keep_tail=True)
        elif name == "PJ":
            self._add_attachment(element)
        elif depth == 2 and self.path[1] == "PES_Marche" and not name.startswith("EnTete"):
            found = element.find(".//IdMarche")
            self.marches.append(Marche(name, None if found is None else found.get("V"), element.sourceline))

    def _add_bordereau(self, element: Any) -> None:
        b = self.bordereau
        self.bordereaux.append(
            Bordereau(
                domain=_BORDEREAU_PARENTS[self.path[1]],
                id=element.get("Id"),
                exer=b.get("Exer"),
                id_bord=b.get("IdBord"),
                typ_bord=b.get("TypBord"),
                nbr_pce=_int(b.get("NbrPce")),
                piece_count=b["pieces"],
                mt_bord_ht=_decimal(b.get("MtBordHT")),
                mt_cumul_annuel=_decimal(b.get("MtCumulAnnuel")),
                signed=b["signed"],
                line=element.sourceline,
            )
        )
        self.bordereau = {}

    def _add_attachment(self, element: Any) -> None:
        def v(child: str) -> str | None:
            found = element.find(child)
            return None if found is None else found.get("V")

        length, mime = self.fichier
        self.fichier = (0, None)
        self.attachments.append(
            Attachment(
                nom_pj=v("NomPJ"),
                id_unique=v("IdUnique"),
                type_pj=v("TypePJ"),
                mime_type=mime,
                description=v("Description"),
                base64_length=length,
                in_pes_pj=self.path[-1:] == ["PES_PJ"],
                line=element.sourceline,
            )
        )

    def _end_retour(self, element: Any, name: str, depth: int) -> None:
        block = self.retour_block
        if name == "TypRestit" and block["typ_restit"] is None:
            block["typ_restit"] = element.get("V")
        elif depth == 2 and name == "Bordereau":
            block["count"] += 1
        elif depth == 1:
            self.retour.append(RetourBlock(block["tag"], block["typ_restit"], block["count"]))
            self.retour_block = {}

    def result(self, reader: HashingReader) -> PESDocument:
        assert self.kind is not None and self.root is not None
        head = reader.head
        match = _ENCODING.match(head)
        env = self.envelope
        return PESDocument(
            kind=self.kind,
            namespace=ROOT_NAMESPACES[self.kind],
            root_id=self.root.get("Id"),
            declared_encoding=match.group(1).decode("ascii") if match else None,
            iso_8859_1=b"ISO-8859-1" in head[:ENCODING_WINDOW].upper(),
            size=reader.size,
            sha256=reader.sha256.hexdigest(),
            envelope=Envelope(
                version=env.get("Parametres/Version"),
                typ_fic=env.get("Parametres/TypFic"),
                nom_fic=env.get("Parametres/NomFic"),
                emetteur_sigle=env.get("Emetteur/Sigle"),
                emetteur_adresse=env.get("Emetteur/Adresse"),
            ),
            header=Header(**self.header),
            top_level=tuple(self.top_level),
            bordereaux=tuple(self.bordereaux),
            attachments=tuple(self.attachments),
            marches=tuple(self.marches),
            signatures=tuple(self.signatures),
            duplicate_ids=tuple(sorted(self.duplicates)),
            ack_elements=tuple(self.ack),
            ack_retour_elements=tuple(self.ack_retour),
            retour_blocks=tuple(self.retour),
        )
