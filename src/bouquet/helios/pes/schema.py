"""Validation against the shipped DGFiP PES V2 bundle, saying plainly what could not be checked.

The bundle in ``xsd/`` is incomplete (see ``xsd/README.md``): PES_ACQUIT and PES_Retour are validated
whole; PES_Aller's entry point does not compile (``PES_DepenseAller.xsd`` and the Recette, Marché and
Facture schemas are missing), so only its ``Enveloppe``, ``EnTetePES``, ``PES_PJ`` and ``ds:Signature``
parts (XAdES 1.1.1 properties included) are validated, while streaming. Each file of the bundle has a
status in ``MANIFEST.tsv``: errors that depend on a file we rebuilt ourselves, or on an official file
of another bundle version, are reported with severity ``"warning"``: a file is never refused on the
strength of such a schema.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlparse

from lxml import etree

from bouquet.xmlsafe import HARDENING, has_doctype

from ._xml import (
    PESSource,
    check_prolog,
    check_size,
    local_name,
    open_source,
    parse_whole,
    release,
    secure_parser,
    syntax_error,
)
from .constants import DEFAULT_SCHEMA_VERSION, DSIG_NS, MAX_FILE_SIZE, XADES_NS, XSD_ROOT, PESKind
from .errors import PESForbiddenXMLError, SchemaUnavailableError
from .schema_messages import explain, shorten

__all__ = ["ENTRY_POINTS", "SchemaError", "SchemaReport", "validate_schema"]

#: Entry point of each document kind, relative to the version directory.
ENTRY_POINTS: dict[PESKind, str] = {
    PESKind.ALLER: "PES_V2/Rev0/PES_Aller.xsd",
    PESKind.ACQUIT: "PES_V2/Rev0/PES_V2_Acquit_Autonome_V2.xsd",
    PESKind.RETOUR: "PES_V2/RETOUR/Rev0/PES_Retour.xsd",
}
_REBUILT_MARKER = b"RECONSTRUCTED FILE - NOT AN OFFICIAL DGFiP FILE"
_LOCATION = re.compile(rb"""schemaLocation\s*=\s*["']([^"']+)["']""")
_MANIFEST = "MANIFEST.tsv"
#: Official ``Class_Signature.xsd``: the global ``ds:Signature`` with XAdES 1.1.1 and XML-DSig imported.
_SIGNATURE_XSD = "PES_V2/Class_Signature.xsd"
_PARTS_ENTRY = "PES_V2/parts.xsd"
_PARTS_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:cm="http://www.minefi.gouv.fr/cp/helios/pes_v2/commun" elementFormDefault="unqualified">
 <!-- Built by Bouquet: declares three children of PES_Aller with their official types. -->
 <xs:import namespace="http://www.minefi.gouv.fr/cp/helios/pes_v2/commun"
  schemaLocation="Class_SchemasCommuns.xsd"/>
 <xs:include schemaLocation="Class_PJ.xsd"/>
 <xs:element name="Enveloppe" type="cm:TEnveloppe"/>
 <xs:element name="EnTetePES" type="cm:TEnTetePES"/>
 <xs:element name="PES_PJ" type="TPES_PJs"/>
</xs:schema>"""
_PARTS_BUILT = "(schéma d'assemblage construit par Bouquet)"
#: Children of PES_Aller validated whole against the parts schema (kept in memory until their end).
_ALLER_PARTS = ("Enveloppe", "EnTetePES", "PES_PJ")
_ALLER_UNCHECKED = (
    "structure de PES_Aller (ordre et nombre des blocs)",
    "PES_DepenseAller",
    "PES_RecetteAller",
    "PES_Facture",
    "PES_Marche",
)
_XADES_PROPERTIES = f"{{{XADES_NS}}}QualifyingProperties"
_SIGNATURE_TAG = f"{{{DSIG_NS}}}Signature"
#: Bytes read ahead to refuse a DOCTYPE before the parser starts.
_HEAD = 64 * 1024
#: Elements the parser hands back: the parts, signatures, and what is freed as the file streams by
#: (the domain blocks, bordereaux and pieces; other elements of a PES_Marche or PES_Facture block are
#: freed with their block).
_SURFACED = (
    *_ALLER_PARTS,
    _SIGNATURE_TAG,
    "PES_DepenseAller",
    "PES_RecetteAller",
    "PES_Facture",
    "PES_Marche",
    "Bordereau",
    "Piece",
)


@dataclass(frozen=True)
class SchemaError:
    """One schema violation."""

    line: int | None
    message: str  #: libxml2's message, verbatim
    explanation: str  #: French explanation for users
    part: str  #: part of the document validated (``"PES_ACQUIT"``, ``"EnTetePES"``, ``"ds:Signature"``…)
    severity: Literal["error", "warning"]  #: ``"warning"`` when the schema relies on a rebuilt file


@dataclass(frozen=True)
class SchemaReport:
    """What was validated, what could not be, and the errors found."""

    kind: PESKind
    version: str
    checked_parts: tuple[str, ...]
    unchecked_parts: tuple[str, ...]
    errors: tuple[SchemaError, ...]
    #: Files of the bundle that are our reconstruction, on which the checked parts rely.
    rebuilt_files: tuple[str, ...] = ()
    #: Official files of another bundle version standing in for this one's, on which the checked parts rely.
    substitute_files: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        """No violation at all in the parts checked (S²LOW's "XSD-valid" for acquits)."""
        return not self.errors

    @property
    def blocking(self) -> bool:
        """Some violation comes from an entirely official schema and may refuse the file."""
        return any(e.severity == "error" for e in self.errors)


class _LocalResolver(etree.Resolver):
    """Resolve schema files inside the bundle only; anything else fails to load."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root.resolve()

    def resolve(self, url: str, pubid: str | None, context: Any) -> Any:
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve() if parsed.scheme in ("", "file") else None
        if path is None or not path.is_relative_to(self.root) or not path.is_file():
            raise SchemaUnavailableError(f"Schéma hors du paquet local refusé : {url}")
        return self.resolve_filename(str(path), context)


def _version_dir(version: str) -> Path:
    directory = (XSD_ROOT / version).resolve()
    if not directory.is_relative_to(XSD_ROOT.resolve()) or not directory.is_dir():
        raise SchemaUnavailableError(f"Version de schéma PES inconnue : {version}")
    return directory


def _schema_parser(root: Path) -> etree.XMLParser:
    parser = secure_parser()
    parser.resolvers.add(_LocalResolver(root))
    return parser


@functools.lru_cache(maxsize=32)
def _compile(version: str, entry: str, text: str | None = None) -> etree.XMLSchema:
    """Compile an entry point (or an in-memory schema ``text`` located at ``entry``) once per process."""
    root = _version_dir(version)
    path = root / entry
    try:
        if text is None:
            document = etree.parse(str(path), _schema_parser(root))
        else:
            document = etree.ElementTree(etree.fromstring(text, _schema_parser(root), base_url=path.as_uri()))
        return etree.XMLSchema(document)
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise SchemaUnavailableError(f"Le schéma {entry} ({version}) n'est pas utilisable : {exc}") from exc


@functools.lru_cache(maxsize=32)
def _compile_entry(version: str, entry: str) -> etree.XMLSchema | SchemaUnavailableError:
    """Like :func:`_compile`, remembering failures too (PES_Aller's entry point does not compile)."""
    _version_dir(version)
    try:
        return _compile(version, entry)
    except SchemaUnavailableError as exc:
        return exc


@functools.lru_cache(maxsize=8)
def _statuses(version: str) -> dict[str, str]:
    """Status of each file of the bundle (``official``, ``substitute``, ``rebuilt``) from its manifest."""
    manifest = _version_dir(version) / _MANIFEST
    if not manifest.is_file():
        return {}
    rows = manifest.read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    path_col, status_col = header.index("path"), header.index("status")
    return {cells[path_col]: cells[status_col] for cells in (row.split("\t") for row in rows[1:] if row)}


@functools.lru_cache(maxsize=32)
def _reliance(version: str, entry: str, text: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rebuilt and substitute files reachable from ``entry`` (or in-memory ``text`` located there).

    A file absent from the manifest, or carrying the reconstruction marker, counts as rebuilt.
    """
    root = _version_dir(version)
    statuses = _statuses(version)
    seen: set[Path] = set()
    todo = [root / entry]
    if text is not None:
        todo = [(root / entry).parent / loc.decode() for loc in _LOCATION.findall(text.encode())]
    rebuilt, substitutes = [], []
    while todo:
        path = todo.pop().resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        data = path.read_bytes()
        name = str(path.relative_to(root))
        status = statuses.get(name, "rebuilt")
        if status == "rebuilt" or _REBUILT_MARKER in data[:2048]:
            rebuilt.append(name)
        elif status != "official":
            substitutes.append(name)
        todo += [path.parent / loc.decode() for loc in _LOCATION.findall(data)]
    return tuple(sorted(rebuilt)), tuple(sorted(substitutes))


def _severity(rebuilt: tuple[str, ...], substitutes: tuple[str, ...]) -> Literal["error", "warning"]:
    return "warning" if rebuilt or substitutes else "error"


def _errors(schema: etree.XMLSchema, part: str, severity: Literal["error", "warning"]) -> list[SchemaError]:
    return [
        SchemaError(e.line or None, shorten(e.message), explain(e.message), part, severity)
        for e in schema.error_log
    ]


def validate_schema(
    source: PESSource, kind: PESKind, *, version: str = DEFAULT_SCHEMA_VERSION, max_size: int = MAX_FILE_SIZE
) -> SchemaReport:
    """Validate a PES file of a known ``kind`` against the bundle ``version`` (never over the network).

    :raises SchemaUnavailableError: unknown version.
    :raises PESError: the file cannot be parsed at all.
    """
    check_size(source, max_size)
    entry = ENTRY_POINTS.get(kind)
    if entry is None:
        return SchemaReport(kind, version, (), (f"{kind} (aucun schéma officiel connu)",), ())
    schema = _compile_entry(version, entry)
    if isinstance(schema, SchemaUnavailableError):
        if kind is not PESKind.ALLER:
            raise schema
        return _validate_aller_parts(source, version)
    rebuilt, substitutes = _reliance(version, entry)
    schema.validate(parse_whole(source))
    errors = _errors(schema, str(kind), _severity(rebuilt, substitutes))
    return SchemaReport(kind, version, (str(kind),), (), tuple(errors), rebuilt, substitutes)


def _validate_aller_parts(source: PESSource, version: str) -> SchemaReport:
    """Stream a PES_Aller and validate the parts whose official schemas are shipped.

    The parser hands back only the elements named in ``_SURFACED`` (libxml2 filters the rest, which
    keeps Python out of the per-element loop). ``Enveloppe``, ``EnTetePES`` and ``PES_PJ`` are kept
    whole until their end tag, then validated and freed; every ``ds:Signature`` is validated at its end
    tag (its ``xad:QualifyingProperties`` too: the official schema processes ``ds:Object`` laxly);
    bordereaux, pieces and the domain blocks are freed at their end tag.
    """
    parts = _compile(version, _PARTS_ENTRY, _PARTS_XSD)
    parts_rebuilt, parts_substitutes = _reliance(version, _PARTS_ENTRY, _PARTS_XSD)
    parts_rebuilt = (*parts_rebuilt, _PARTS_BUILT)
    parts_severity = _severity(parts_rebuilt, parts_substitutes)
    signature = _compile(version, _SIGNATURE_XSD)
    signature_rebuilt, signature_substitutes = _reliance(version, _SIGNATURE_XSD)
    signature_severity = _severity(signature_rebuilt, signature_substitutes)
    checked: list[str] = []
    rebuilt: set[str] = set()
    substitutes: set[str] = set()
    errors: list[SchemaError] = []
    stream = open_source(source)
    try:
        for element in _surfaced_ends(stream):
            parent = element.getparent()
            top = parent is not None and parent.getparent() is None  # a child of PES_Aller
            name = local_name(element.tag)
            if element.tag == _SIGNATURE_TAG:
                signature.validate(element)
                errors += _errors(signature, "ds:Signature", signature_severity)
                _note(checked, "ds:Signature")
                if element.find(f".//{_XADES_PROPERTIES}") is not None:
                    _note(checked, "xad:QualifyingProperties")
                rebuilt.update(signature_rebuilt)
                substitutes.update(signature_substitutes)
            elif top and name in _ALLER_PARTS:
                parts.validate(element)
                errors += _errors(parts, name, parts_severity)
                _note(checked, name)
                rebuilt.update(parts_rebuilt)
                substitutes.update(parts_substitutes)
            if top or name in ("Bordereau", "Piece"):
                release(element)
    finally:
        if stream is not source:
            stream.close()
    errors.sort(key=lambda e: e.line or 0)
    return SchemaReport(
        PESKind.ALLER,
        version,
        tuple(checked),
        _ALLER_UNCHECKED,
        tuple(errors),
        tuple(sorted(rebuilt)),
        tuple(sorted(substitutes)),
    )


class _Prefixed:
    """A stream whose first bytes were already read (to refuse a DOCTYPE before parsing)."""

    def __init__(self, head: bytes, rest: Any) -> None:
        self._head, self._rest = head, rest

    def read(self, n: int = -1) -> bytes:
        if self._head:
            data, self._head = self._head, b""
            return data
        return self._rest.read(n)


def _surfaced_ends(stream: Any) -> Iterator[Any]:
    """End events of the ``_SURFACED`` elements, with the hardening of :func:`secure_iterparse`."""
    head = stream.read(_HEAD)
    check_prolog(head)
    parser = etree.iterparse(
        _Prefixed(head, stream),
        events=("end",),
        tag=_SURFACED,
        huge_tree=True,
        remove_comments=True,
        **HARDENING,
    )
    first = True
    try:
        for _event, element in parser:
            if first:
                first = False
                if has_doctype(element):
                    raise PESForbiddenXMLError("Le fichier contient une déclaration DOCTYPE : refusée.")
            yield element
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc) from exc


def _note(checked: list[str], part: str) -> None:
    if part not in checked:
        checked.append(part)
