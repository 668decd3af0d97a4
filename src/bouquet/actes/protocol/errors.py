"""Errors of the @ctes protocol library; messages are French and may be shown to users."""

__all__ = [
    "ActesError",
    "UnsafeXmlError",
    "MalformedXmlError",
    "MessageError",
    "SchemaValidationError",
    "FileNameError",
    "ArchiveError",
]


class ActesError(Exception):
    """Base of every error raised by ``bouquet.actes.protocol``."""


class UnsafeXmlError(ActesError):
    """The XML was refused before use: DOCTYPE/entities, too large or too deep."""


class MalformedXmlError(ActesError):
    """The bytes are not well-formed XML (syntax or encoding error)."""


class MessageError(ActesError):
    """The XML is not a readable @ctes message: unknown root, missing or unreadable field."""


class SchemaValidationError(ActesError):
    """A message we built does not validate against ``actesv1_1.xsd``.

    :ivar errors: the schema errors, one string each.
    """

    def __init__(self, message: str, errors: tuple[str, ...]) -> None:
        super().__init__(message)
        self.errors = errors


class FileNameError(ActesError):
    """A file name (envelope, archive, message, document) does not follow the @ctes rules."""


class ArchiveError(ActesError):
    """An archive could not be built or was refused when read."""
