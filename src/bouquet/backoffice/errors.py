"""Errors raised by the back-office services; every message is French and may be shown to the user."""

__all__ = ["BackofficeError", "UploadError"]


class BackofficeError(Exception):
    """A refused change (nothing was written); ``message`` is what the user reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UploadError(BackofficeError):
    """An uploaded file was refused (size, type, name)."""
