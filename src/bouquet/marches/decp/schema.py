"""The two official schemas shipped in the package (``schemas/``), loaded once, used offline.

The JSON form is checked against ``schema_decp_v2.0.3.json`` (draft-07, ``jsonschema``) and the
XML form against ``schema_decp_v2.0.2.xsd`` (lxml); errors come back as French findings.
"""

import json
import threading
from functools import lru_cache
from importlib.resources import files
from typing import Any

import jsonschema
from lxml import etree

from .explain import explain_json_error, explain_xml_error
from .findings import Finding
from .xmlsafe import safe_parser

__all__ = [
    "JSON_SCHEMA_FILE",
    "XSD_FILE",
    "json_schema",
    "json_schema_findings",
    "xml_schema",
    "xml_schema_findings",
]

JSON_SCHEMA_FILE = "schema_decp_v2.0.3.json"
XSD_FILE = "schema_decp_v2.0.2.xsd"

# An XMLSchema may validate from several threads, but its error_log belongs to the last call.
_LOCK = threading.Lock()


def read_schema_file(name: str) -> bytes:
    """The bytes of one shipped schema file."""
    return (files(__package__) / "schemas" / name).read_bytes()


@lru_cache(maxsize=1)
def json_schema() -> dict:
    """The official JSON Schema 2.0.3, parsed."""
    return json.loads(read_schema_file(JSON_SCHEMA_FILE))


@lru_cache(maxsize=1)
def _json_validator() -> Any:
    schema = json_schema()
    validator_cls = jsonschema.validators.validator_for(schema)
    return validator_cls(schema)


@lru_cache(maxsize=1)
def xml_schema() -> etree.XMLSchema:
    """The official XSD 2.0.2, compiled (it imports nothing, so nothing else is ever loaded)."""
    document = etree.fromstring(read_schema_file(XSD_FILE), safe_parser())
    return etree.XMLSchema(etree.ElementTree(document))


def json_schema_findings(document: Any) -> tuple[Finding, ...]:
    """The schema errors of a JSON document (already parsed), in document order; empty when valid."""
    errors = sorted(_json_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return tuple(explain_json_error(error, document) for error in errors)


def xml_schema_findings(root: etree._Element) -> tuple[Finding, ...]:
    """The schema errors of an XML document; empty when valid."""
    schema = xml_schema()
    with _LOCK:
        if schema.validate(root):
            return ()
        log: Any = schema.error_log
        entries = list(log)
    return tuple(explain_xml_error(entry, root) for entry in entries)
