"""The files of a transaction as S²LOW lists and bundles them (A9, A10 ``env=``, A14)."""

import gzip
import io
import tarfile

from bouquet.actes.choices import FileRole, TransactionType
from bouquet.actes.models import Transaction
from bouquet.actes.protocol import build_message
from bouquet.actes.services.outbound import outbound_for

__all__ = ["envelope_tar", "files_list", "message_xml"]

SENT_ROLES = [FileRole.MAIN, FileRole.ANNEX]
OUTGOING_TYPES = (TransactionType.ACTE, TransactionType.ANNULATION, TransactionType.CLASSIFICATION)


def message_xml(transaction: Transaction) -> tuple[str, bytes]:
    """(name, bytes) of the @ctes message of an outgoing transaction, rebuilt from the database.

    Deterministic: the same fields give the same bytes as the message put in the archive.
    """
    try:
        messages, _documents = outbound_for(transaction)
        name, message = messages[0]
        return str(name), build_message(message)
    except Exception:  # noqa: BLE001 — a listing must not fail on a message it cannot rebuild
        return "", b""


def _entry(pk: object, name: str, posted: str, mime: str, size: int, code: str) -> dict[str, str]:
    return {
        "id": str(pk),
        "name": name,
        "posted_filename": posted,
        "mimetype": mime,
        "size": str(size),
        "sign": "",
        "code_pj": code,
    }


def files_list(transaction: Transaction) -> list[dict[str, str]]:
    """Index 0 = the message XML (no downloadable id: it is rebuilt, not stored), then the documents
    in submission order with their @ctes name, the name as posted and their typology."""
    entries = []
    if transaction.type in OUTGOING_TYPES or transaction.response_kind:
        name, xml = message_xml(transaction)
        entries.append(_entry("", name, "", "text/xml", len(xml), ""))
    roles = SENT_ROLES if entries else [FileRole.LETTER, FileRole.RECEIVED]
    for f in transaction.files.filter(role__in=roles).order_by("position", "id"):
        entries.append(_entry(f.pk, f.business_name, f.original_name, f.mime_type, f.size, f.typology))
    return entries


def envelope_tar(transaction: Transaction) -> bytes:
    """A gzip'd tar of the transaction's files (what S²LOW's ``env=`` download gives Pastell).

    Member dates are the transaction's creation time so that the same files give the same bytes.
    """
    buffer = io.BytesIO()
    mtime = int(transaction.created_at.timestamp())
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=mtime) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.USTAR_FORMAT) as tar,
    ):
        for f in transaction.files.order_by("position", "id"):
            data = f.read()
            info = tarfile.TarInfo(f.business_name or f.original_name or str(f.pk))
            info.size, info.mtime, info.mode = len(data), mtime, 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
