"""Errors raised by the contracts services; every message is French and may be shown to the user."""

__all__ = [
    "ContractError",
    "DecpNotPublishable",
    "HistoryImportError",
    "IncompleteData",
    "RightsError",
]

from bouquet.marches.errors import RightsError


class ContractError(Exception):
    """Base of the contracts errors (nothing was changed); ``message`` is what the user reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IncompleteData(ContractError):
    """Essential data are missing; ``missing`` lists the French labels of the fields to fill."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("Données essentielles incomplètes : " + ", ".join(missing) + ".")
        self.missing = missing


class DecpNotPublishable(ContractError):
    """The DECP record fails a schema or a coherence rule; ``verdict`` holds every finding."""

    def __init__(self, verdict) -> None:
        count = len(verdict.blocking)
        super().__init__(
            f"Les données essentielles ne sont pas publiées : {count} problème{'s' if count > 1 else ''} "
            "à corriger (voir le détail)."
        )
        self.verdict = verdict


class HistoryImportError(ContractError):
    """An Excel export of a previous platform was refused; ``problems`` lists each line's problem."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
