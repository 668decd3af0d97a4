"""Validation against the shipped DGFiP PES V2 bundle, saying plainly what could not be checked.

The bundle in ``xsd/`` is incomplete (see tests/fixtures/README.md): PES_ACQUIT and PES_Retour are
validated whole; PES_Aller's entry point does not compile, so only its ``Enveloppe``, ``EnTetePES`` and
``ds:Signature`` parts are validated. Errors that depend on a file we reconstructed ourselves are
reported with severity ``"warning"``: a file is never refused on the strength of such a schema.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlparse

from lxml import etree

from ._xml import (
    PESSource,
    check_size,
    local_name,
    open_source,
    parse_whole,
    release,
    secure_iterparse,
    secure_parser,
)
from .constants import DEFAULT_SCHEMA_VERSION, DSIG_NS, MAX_FILE_SIZE, XSD_ROOT, PESKind
from .errors import SchemaUnavailableError
from .schema_messages import explain

__all__ = ["ENTRY_POINTS", "SchemaError", "SchemaReport", "validate_schema"]

#: Entry point of each document kind, relative to the version directory.
ENTRY_POINTS: dict[PESKind, str] = {
    PESKind.ALLER: "PES_V2/Rev0/PES_Aller.xsd",
    PESKind.ACQUIT: "PES_V2/Rev0/PES_V2_Acquit_Autonome_V2.xsd",
    PESKind.RETOUR: "PES_V2/RETOUR/Rev0/PES_Retour.xsd",
}
_REBUILT_MARKER = b"RECONSTRUCTED FILE - NOT AN OFFICIAL DGFiP FILE"
_LOCATION = re.compile(rb"""schemaLocation\s*=\s*["']([^"']+)["']""")
_DSIG_XSD = "xmldsig/xmldsig-core-schema.xsd"
_PARTS_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:cm="http://www.minefi.gouv.fr/cp/helios/pes_v2/commun" elementFormDefault="unqualified">
 <!-- Built by Bouquet: validates two parts of a PES_Aller with the official types. -->
 <xs:import namespace="http://www.minefi.gouv.fr/cp/helios/pes_v2/commun"
  schemaLocation="Class_SchemasCommuns.xsd"/>
 <xs:element name="Enveloppe" type="cm:TEnveloppe"/>
 <xs:element name="EnTetePES" type="cm:TEnTetePES"/>
</xs:schema>"""
_ALLER_UNCHECKED = (
    "structure de PES_Aller (ordre et nombre des blocs)",
    "PES_DepenseAller",
    "PES_RecetteAller",
    "PES_Facture",
    "PES_Marche",
    "PES_PJ",
    "propriétés XAdES (xad:QualifyingProperties)",
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


@functools.lru_cache(maxsize=32)
def _rebuilt(version: str, entry: str) -> tuple[str, ...]:
    """Reconstructed files reachable from ``entry`` through includes and imports."""
    root = _version_dir(version)
    seen: set[Path] = set()
    todo = [root / entry]
    rebuilt = []
    while todo:
        path = todo.pop().resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        data = path.read_bytes()
        if _REBUILT_MARKER in data[:2048]:
            rebuilt.append(str(path.relative_to(root)))
        todo += [path.parent / loc.decode() for loc in _LOCATION.findall(data)]
    return tuple(sorted(rebuilt))


def _errors(schema: etree.XMLSchema, part: str, severity: Literal["error", "warning"]) -> list[SchemaError]:
    return [
        SchemaError(e.line or None, e.message, explain(e.message), part, severity) for e in schema.error_log
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
    rebuilt = _rebuilt(version, entry)
    schema.validate(parse_whole(source))
    errors = _errors(schema, str(kind), "warning" if rebuilt else "error")
    return SchemaReport(kind, version, (str(kind),), (), tuple(errors), rebuilt)


def _validate_aller_parts(source: PESSource, version: str) -> SchemaReport:
    """Stream a PES_Aller and validate the parts whose official types are present."""
    parts = _compile(version, "PES_V2/parts.xsd", _PARTS_XSD)
    rebuilt = _rebuilt(version, "PES_V2/Class_SchemasCommuns.xsd") + (
        "(schéma d'assemblage construit par Bouquet)",
    )
    dsig = _compile(version, _DSIG_XSD)
    checked: list[str] = []
    errors: list[SchemaError] = []
    stream = open_source(source)
    depth = 0
    try:
        for event, element in secure_iterparse(stream):
            if event == "start":
                depth += 1
                continue
            depth -= 1
            name = local_name(element.tag)
            if depth == 1 and name in ("Enveloppe", "EnTetePES"):
                parts.validate(element)
                errors += _errors(parts, name, "warning")
                checked.append(name)
            elif element.tag == f"{{{DSIG_NS}}}Signature":
                dsig.validate(element)
                errors += _errors(dsig, "ds:Signature", "error")
                if "ds:Signature" not in checked:
                    checked.append("ds:Signature")
            in_part = depth == 2 and local_name(element.getparent().tag) in ("Enveloppe", "EnTetePES")
            if (1 <= depth <= 2 and not in_part) or name == "Piece":
                release(element)
    finally:
        if stream is not source:
            stream.close()
    return SchemaReport(PESKind.ALLER, version, tuple(checked), _ALLER_UNCHECKED, tuple(errors), rebuilt)
