"""Errors of the API services; messages are French and may be shown to the user."""

__all__ = ["ApiTokenError"]


class ApiTokenError(Exception):
    """A token cannot be created or revoked (unknown account, no membership…)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
