"""Errors raised by the ACTES services; every message is French and may be shown to the user."""

from collections.abc import Sequence

__all__ = [
    "ActValidationError",
    "ActesServiceError",
    "ConcurrentChangeError",
    "InboundError",
    "RightsError",
    "WorkflowError",
]


class ActesServiceError(Exception):
    """Base of the ACTES service errors; ``message`` is what the user reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkflowError(ActesServiceError):
    """An illegal status change (nothing was changed)."""


class ConcurrentChangeError(WorkflowError):
    """Another worker or user changed the status between our reading and our update: try again."""


class RightsError(ActesServiceError):
    """The actor lacks the ACTES right (CS, TT) or the certificate level the action needs."""


class ConventionError(ActesServiceError):
    """The authority has no signed ACTES convention with the prefecture in force: nothing is sent."""


class ActValidationError(ActesServiceError):
    """The act breaks business rules; ``findings`` are the protocol library's findings."""

    def __init__(self, findings: Sequence) -> None:
        super().__init__("\n".join(f.message for f in findings))
        self.findings = tuple(findings)

    @property
    def codes(self) -> set[str]:
        return {str(f.code) for f in self.findings}


class InboundError(ActesServiceError):
    """An inbound ministry mail could not be applied (unmatched, malformed): it goes to the error queue."""
