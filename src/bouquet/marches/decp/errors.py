"""Errors of the DECP library; messages are French and may be shown to users."""

__all__ = ["DecpError", "UnsafeXmlError", "UnreadableFileError", "RecordError"]


class DecpError(Exception):
    """Base of every error raised by ``bouquet.marches.decp``."""


class UnsafeXmlError(DecpError):
    """The XML was refused before use: DOCTYPE or entity declaration, too large, too deep."""


class UnreadableFileError(DecpError):
    """The bytes are neither well-formed JSON nor XML in UTF-8, or the file is too large."""


class RecordError(DecpError):
    """A record lacks a field the library needs, or holds a value of the wrong type.

    :ivar path: where, e.g. ``marches › marche n° 2 › dureeMois``.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path} : {message}")
        self.path = path
