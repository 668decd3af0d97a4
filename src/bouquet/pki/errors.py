"""Errors raised by the certificates part; messages are French and may be shown to users."""

__all__ = ["PkiError", "CertificateError", "CrlError"]


class PkiError(Exception):
    """Base of the pki errors."""


class CertificateError(PkiError):
    """A certificate (or PKCS#12 bundle) could not be read."""


class CrlError(PkiError):
    """A certificate revocation list could not be read or matched to a trusted CA."""
