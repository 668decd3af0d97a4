"""Errors raised by the support services; every message is French and may be shown to the user."""

__all__ = ["RightsError", "RuleError", "SupportError"]


class SupportError(Exception):
    """Base of the support service errors; ``message`` is what the user reads. Nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RuleError(SupportError):
    """The request breaks a business rule (full session, wrong day, service already open…)."""


class RightsError(SupportError):
    """The actor may not do this (read-only account, another authority, not operator staff)."""
