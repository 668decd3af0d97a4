"""The @ctes protocol (ACTES, Ministère de l'Intérieur): messages, names, archives, schema and rules.

Plain Python (no Django). Entry points:

* :func:`build_message` / :func:`parse_message` for every message and envelope;
* :mod:`.names` for file names, :mod:`.archive` and :mod:`.transmission` for archives;
* :func:`validate_act` for the business rules; :mod:`.inspect` (``python -m``) for a full diagnosis.
"""

from .archive import ArchiveMember, build_archive, read_archive
from .build import build_message
from .errors import (
    ActesError,
    ArchiveError,
    FileNameError,
    MalformedXmlError,
    MessageError,
    SchemaValidationError,
    UnsafeXmlError,
)
from .names import (
    ArchiveName,
    DocumentName,
    EnvelopeName,
    MessageName,
    parse_archive_name,
    parse_document_name,
    parse_envelope_name,
    parse_message_name,
)
from .parse import ParsedMessage, parse_message, parse_message_file
from .rules import ActFile, Finding, FindingCode, validate_act
from .schema import load_schema, schema_errors
from .sniff import sniff_mime
from .transmission import OpenedTransmission, Transmission, build_transmission, open_transmission
from .xmlsafe import parse_xml

__all__ = [
    "ArchiveMember",
    "build_archive",
    "read_archive",
    "build_message",
    "ActesError",
    "ArchiveError",
    "FileNameError",
    "MalformedXmlError",
    "MessageError",
    "SchemaValidationError",
    "UnsafeXmlError",
    "ArchiveName",
    "DocumentName",
    "EnvelopeName",
    "MessageName",
    "parse_archive_name",
    "parse_document_name",
    "parse_envelope_name",
    "parse_message_name",
    "ParsedMessage",
    "parse_message",
    "parse_message_file",
    "ActFile",
    "Finding",
    "FindingCode",
    "validate_act",
    "load_schema",
    "schema_errors",
    "sniff_mime",
    "OpenedTransmission",
    "Transmission",
    "build_transmission",
    "open_transmission",
    "parse_xml",
]
