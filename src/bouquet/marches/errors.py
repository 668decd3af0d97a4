"""Errors raised by the procurement services; every message is French and may be shown to the user."""

__all__ = [
    "FileRejected",
    "InvalidData",
    "MarchesError",
    "NotSubscribed",
    "PublicationBlocked",
    "PublicationWarnings",
    "QuestionsClosed",
    "RightsError",
    "WorkflowError",
]


class MarchesError(Exception):
    """Base of the procurement errors; ``message`` is what the user reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkflowError(MarchesError):
    """An illegal status change or an action the consultation's status forbids (nothing changed)."""


class RightsError(MarchesError):
    """The actor may not do this (no write right on the MARCHES module, not a company user…)."""


class NotSubscribed(MarchesError):
    """The authority has no current subscription to the MARCHES module."""


class PublicationBlocked(MarchesError):
    """Publication is impossible until these problems are fixed (``problems``: list of sentences)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class PublicationWarnings(MarchesError):
    """Publication needs the buyer's explicit confirmation (``warnings``: list of sentences)."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = warnings


class QuestionsClosed(MarchesError):
    """The question deadline has passed (or the consultation is not open)."""


class FileRejected(MarchesError):
    """An uploaded file was refused (size, type, name)."""


class InvalidData(MarchesError):
    """Submitted values are wrong (``errors``: field name → list of messages; "" for the whole)."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}
