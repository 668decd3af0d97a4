"""Errors raised by the HELIOS services; every message is French and may be shown to the user."""

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "HeliosRefusal",
    "HeliosServiceError",
    "MissingDestinationError",
    "RefusalItem",
    "RightsError",
    "WorkflowError",
]


class HeliosServiceError(Exception):
    """Base of the HELIOS service errors; ``message`` is what the user reads (``code`` is stable)."""

    code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkflowError(HeliosServiceError):
    """An illegal status change (nothing was changed)."""

    code = "conflict"


class RightsError(HeliosServiceError):
    """The actor lacks the HELIOS right (CS, TT) or the certificate level the action needs."""

    code = "forbidden"


class MissingDestinationError(HeliosServiceError):
    """The authority has no "site destinataire" (P_DEST): nothing can be sent for it."""

    code = "p_dest_missing"


@dataclass(frozen=True)
class RefusalItem:
    """One reason a file is refused (or a warning about it), as a page lists it."""

    code: str
    message: str  #: French, for the user
    line: int | None = None  #: line of the file concerned, when known
    severity: str = "error"  #: ``error`` refuses the file; ``warning`` and ``info`` do not

    def __str__(self) -> str:
        return f"Ligne {self.line} : {self.message}" if self.line else self.message


class HeliosRefusal(HeliosServiceError):
    """A PES file was refused: ``items`` say why (French, with line numbers). Nothing was stored."""

    code = "pes_refused"

    def __init__(self, items: Sequence[RefusalItem], report=None) -> None:
        self.items = tuple(items)
        self.report = report  #: the ``PreflightReport`` when the file could be analysed
        super().__init__(" ".join(str(item) for item in self.items) or "Fichier refusé.")

    @property
    def codes(self) -> set[str]:
        return {item.code for item in self.items}
