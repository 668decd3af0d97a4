"""Exceptions of the PES library. Each carries a stable ``code`` and a French ``message`` for users."""

from __future__ import annotations

__all__ = [
    "PESError",
    "PESForbiddenXMLError",
    "PESRootError",
    "PESSyntaxError",
    "PESTooLargeError",
    "SchemaUnavailableError",
]


class PESError(Exception):
    """Base class: the file cannot be read as a PES document.

    :param message: French explanation shown to users.
    :param line: line of the file where the problem was found, when known.
    """

    code = "pes_error"

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class PESTooLargeError(PESError):
    """The file exceeds the size limit; it was refused before any parsing."""

    code = "too_large"


class PESSyntaxError(PESError):
    """The file is not well-formed XML (truncated, garbage, bad encoding)."""

    code = "not_well_formed"


class PESForbiddenXMLError(PESError):
    """The file uses an XML feature refused on untrusted input (DOCTYPE, entities)."""

    code = "forbidden_xml"


class PESRootError(PESError):
    """The root element is not one of the PES documents this library reads."""

    code = "wrong_root"


class SchemaUnavailableError(PESError):
    """The requested schema version or entry point is missing or does not compile."""

    code = "schema_unavailable"
