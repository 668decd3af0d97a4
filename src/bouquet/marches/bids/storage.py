"""Where sealed pieces, acknowledgements and message attachments are kept (Django's default
storage: local disk by default, any other backend through FILE_STORAGE_BACKEND)."""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

__all__ = ["delete", "piece_name", "read", "write"]


def piece_name(consultation_id: int, deposit_uuid, file_uuid, index: int) -> str:
    # The random suffix keeps a retried piece from overwriting the one a concurrent request stored.
    return f"marches_bids/{consultation_id}/{deposit_uuid}/{file_uuid}/{index:06d}-{secrets.token_hex(4)}.bqb"


def write(name: str, data: bytes) -> str:
    """Store ``data`` under ``name`` (or the free name the storage chose); return the name used."""
    return default_storage.save(name, ContentFile(data))


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def delete(name: str) -> None:
    default_storage.delete(name)
