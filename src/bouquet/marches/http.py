"""The visitor's address as the download register records it."""

from django.conf import settings

__all__ = ["client_ip"]


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address our own TLS terminator forwarded when the request comes from it.

    Only the trusted proxies (``TRUSTED_PROXIES``, as for client certificates) may set
    ``X-Forwarded-For``; nginx sets it to ``$remote_addr`` (one address), so the last one is used.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in settings.TRUSTED_PROXIES and forwarded:
        candidate = forwarded.split(",")[-1].strip()
        return candidate or remote
    return remote
