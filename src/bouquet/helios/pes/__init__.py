"""PES V2 (DGFiP Hélios) library: streaming reader, S²LOW's checks, schema validation, signatures.

Plain Python (lxml, python-xmlsec, cryptography); no Django import. Entry points:
:func:`read_pes`, :func:`check_outgoing`, :func:`check_incoming`, :func:`validate_schema`,
:func:`verify_signatures`, and :func:`bouquet.helios.pes.inspect.inspect_file`.
"""

from .checks import Finding, check_incoming, check_outgoing, has_errors
from .constants import DEFAULT_SCHEMA_VERSION, MAX_FILE_SIZE, PESKind
from .errors import (
    PESError,
    PESForbiddenXMLError,
    PESRootError,
    PESSyntaxError,
    PESTooLargeError,
    SchemaUnavailableError,
)
from .model import (
    AckElement,
    AckError,
    AckRetourElement,
    Attachment,
    Bordereau,
    Envelope,
    Header,
    Marche,
    PESDocument,
    RetourBlock,
    SignatureLocation,
)
from .reader import read_pes
from .schema import SchemaError, SchemaReport, validate_schema
from .signatures import SignatureResult, SignerValidator, verify_signatures

__all__ = [
    "DEFAULT_SCHEMA_VERSION",
    "MAX_FILE_SIZE",
    "AckElement",
    "AckError",
    "AckRetourElement",
    "Attachment",
    "Bordereau",
    "Envelope",
    "Finding",
    "Header",
    "Marche",
    "PESDocument",
    "PESError",
    "PESForbiddenXMLError",
    "PESKind",
    "PESRootError",
    "PESSyntaxError",
    "PESTooLargeError",
    "RetourBlock",
    "SchemaError",
    "SchemaReport",
    "SchemaUnavailableError",
    "SignatureLocation",
    "SignatureResult",
    "SignerValidator",
    "check_incoming",
    "check_outgoing",
    "has_errors",
    "read_pes",
    "validate_schema",
    "verify_signatures",
]
