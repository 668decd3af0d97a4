"""Errors of the bids services; every message is French and may be shown to the user."""

from bouquet.marches.errors import MarchesError, RightsError

__all__ = ["BidsError", "DepositRefused", "OffsetMismatch", "RightsError", "TooEarly"]


class BidsError(MarchesError):
    """A bids action was refused; nothing changed."""


class DepositRefused(BidsError):
    """The deposit (or one of its pieces) cannot be accepted as sent."""


class OffsetMismatch(BidsError):
    """A piece does not continue the file where the server is: ``received`` says where to resume."""

    def __init__(self, received: int) -> None:
        super().__init__(f"Reprise de l'envoi à l'octet {received}.")
        self.received = received


class TooEarly(BidsError):
    """The bids are still sealed: the deadline has not passed on the server's clock."""
