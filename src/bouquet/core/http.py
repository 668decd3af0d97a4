"""Facts about the HTTP client that several contexts record (download registers, deposits)."""

__all__ = ["client_ip"]


def client_ip(request) -> str | None:
    """The visitor's address: the one our TLS terminator forwarded, when the request really comes
    from it (trusted address and proxy secret, decided by the certificate middleware), else
    REMOTE_ADDR. nginx sets X-Forwarded-For to ``$remote_addr``; the last address is used."""
    remote = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(request, "from_trusted_proxy", False) and forwarded:
        return forwarded.split(",")[-1].strip() or remote
    return remote
