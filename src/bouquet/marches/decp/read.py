"""Read (import) DECP v2 files, JSON or XML, from any platform.

The file is checked against its official schema (findings kept, the file is not refused for them:
other platforms publish imperfect data), then each record is read on its own; a record that cannot
be read is skipped with a finding naming the field, the others are kept.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lxml import etree

from .constants import MAX_FILE_SIZE
from .errors import RecordError, UnreadableFileError
from .findings import Finding
from .mapping import from_json, from_xml
from .model import ContratConcession, Dataset, Marche
from .schema import json_schema_findings, xml_schema_findings
from .xmlsafe import parse_xml

__all__ = ["ReadResult", "read_decp", "read_json", "read_xml", "sniff_format"]

_KINDS = (("marche", Marche, "marché"), ("contrat-concession", ContratConcession, "contrat de concession"))


@dataclass(frozen=True)
class ReadResult:
    """A file read: its format, the records that could be read, what the schema and reader found.

    :ivar schema_findings: the file's errors against its official schema (empty when valid).
    :ivar skipped: one finding per record that could not be read (source ``read``).
    """

    format: str
    dataset: Dataset
    schema_findings: tuple[Finding, ...]
    skipped: tuple[Finding, ...]

    @property
    def schema_valid(self) -> bool:
        return not self.schema_findings


def sniff_format(data: bytes) -> str:
    """``json`` or ``xml`` from the first significant byte.

    :raises UnreadableFileError: neither.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: only XML declares it (JSON must be UTF-8)
        return "xml"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return "json"
    if head == b"<":
        return "xml"
    raise UnreadableFileError("Ce fichier n'est ni du JSON ni du XML : ce n'est pas un fichier DECP.")


def _read_records(items: list, cls: type, label: str, reader: Any) -> tuple[list, list[Finding]]:
    records, skipped = [], []
    for n, item in enumerate(items, 1):
        try:
            records.append(reader(cls, item, f"{label} n° {n}"))
        except RecordError as exc:
            skipped.append(
                Finding("read", exc.path, f"enregistrement ignoré : {str(exc).split(' : ', 1)[-1]}")
            )
    return records, skipped


def read_json(data: bytes, *, max_size: int = MAX_FILE_SIZE) -> ReadResult:
    """Read a DECP JSON file (UTF-8, with or without BOM).

    :raises UnreadableFileError: too large, not UTF-8, not JSON, or no ``marches`` object.
    """
    if len(data) > max_size:
        raise UnreadableFileError(
            f"Fichier refusé : il pèse {len(data)} octets, le maximum accepté est {max_size}."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFileError(
            "Le fichier JSON n'est pas encodé en UTF-8 : enregistrez-le en UTF-8."
        ) from None
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise UnreadableFileError(
            f"Le fichier JSON est mal formé (ligne {exc.lineno}, colonne {exc.colno})."
        ) from None
    except RecursionError:
        raise UnreadableFileError("Fichier JSON refusé : imbrication trop profonde.") from None
    container = document.get("marches") if isinstance(document, dict) else None
    if not isinstance(container, dict):
        raise UnreadableFileError("Ce fichier JSON n'est pas au format DECP : l'objet « marches » manque.")
    marches, concessions, skipped = [], [], []
    for key, cls, label in _KINDS:
        items = container.get(key) or []
        records, lost = _read_records(items if isinstance(items, list) else [items], cls, label, from_json)
        (marches if cls is Marche else concessions).extend(records)
        skipped += lost
    return ReadResult(
        "json", Dataset(tuple(marches), tuple(concessions)), json_schema_findings(document), tuple(skipped)
    )


def read_xml(data: bytes, *, max_size: int = MAX_FILE_SIZE) -> ReadResult:
    """Read a DECP XML file (parsed safely: no DTD, no entity, bounded size and depth).

    :raises UnsafeXmlError: DOCTYPE/entities, too large, too deep.
    :raises UnreadableFileError: not well-formed, or the root is not ``<marches>``.
    """
    root = parse_xml(data, max_size=max_size)
    if etree.QName(root).localname != "marches":
        raise UnreadableFileError(
            "Ce fichier XML n'est pas au format DECP : l'élément racine est "
            f"<{etree.QName(root).localname}>, <marches> est attendu."
        )
    marches, concessions, skipped = [], [], []
    for tag, cls, label in _KINDS:
        items = [
            child for child in root if isinstance(child.tag, str) and etree.QName(child).localname == tag
        ]
        records, lost = _read_records(items, cls, label, from_xml)
        (marches if cls is Marche else concessions).extend(records)
        skipped += lost
    return ReadResult(
        "xml", Dataset(tuple(marches), tuple(concessions)), xml_schema_findings(root), tuple(skipped)
    )


def read_decp(data: bytes, *, max_size: int = MAX_FILE_SIZE) -> ReadResult:
    """Read a DECP file whichever its form (JSON or XML, told apart by content, never by name)."""
    if sniff_format(data) == "json":
        return read_json(data, max_size=max_size)
    return read_xml(data, max_size=max_size)
