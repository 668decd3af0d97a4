"""The visitor's address as the download register records it (see ``bouquet.core.http``)."""

from bouquet.core.http import client_ip

__all__ = ["client_ip"]
