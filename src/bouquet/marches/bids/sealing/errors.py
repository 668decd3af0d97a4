"""Errors of the sealing layer; messages are French (they may reach a user)."""

__all__ = ["IntegrityError", "SealedError", "SealingError", "VaultError"]


class SealingError(Exception):
    """Base class."""


class SealedError(SealingError):
    """The private key may not be used yet: its deadline has not passed on the vault's clock."""


class VaultError(SealingError):
    """The vault is unreadable, its secret is wrong, or a sealed key was altered."""


class IntegrityError(SealingError):
    """A stored piece does not decrypt (altered, truncated, reordered or from another file)."""
