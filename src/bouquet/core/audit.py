"""The audit journal: append-only, SHA-256 hash-chained, written in the caller's transaction."""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.utils import timezone

from bouquet.core.choices import ActorKind
from bouquet.core.models import JournalEntry, JournalHead

__all__ = ["Actor", "ChainReport", "deferred", "entry", "record", "record_many", "verify_chain", "GENESIS"]

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did it: a logged-in user, a client certificate (and the account it chose), or the system."""

    kind: str
    label: str
    user: object | None = None

    @classmethod
    def of_user(cls, user) -> "Actor":
        return cls(ActorKind.USER, f"{user.full_name} <{user.email}>", user)

    @classmethod
    def of_certificate(cls, fingerprint: str, user=None) -> "Actor":
        who = f" pour {user.email}" if user else ""
        return cls(ActorKind.CERTIFICATE, f"certificat {fingerprint[:16]}…{who}", user)

    @classmethod
    def system(cls, label: str = "système") -> "Actor":
        return cls(ActorKind.SYSTEM, label)


def _digest(prev_hash: str, fields: dict) -> str:
    payload = json.dumps(
        {"prev": prev_hash, **fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hashed_fields(entry: JournalEntry) -> dict:
    return {
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_kind": entry.actor_kind,
        "actor_user": entry.actor_user_id,
        "actor_label": entry.actor_label,
        "authority": entry.authority_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "details": entry.details,
    }


def _link(entries: list[JournalEntry], tip: str) -> str:
    """Chain ``entries`` in order after ``tip``; return the new tip."""
    for entry in entries:
        entry.prev_hash, entry.hash = tip, _digest(tip, _hashed_fields(entry))
        tip = entry.hash
    return tip


def _append(entries: list[JournalEntry], using: str) -> None:
    """Link ``entries`` to the chain's tip and save them with the head, in the caller's transaction.

    The tip this connection last wrote is tried first with a conditional UPDATE, which takes the
    head's row lock and succeeds only if nobody appended since (PostgreSQL re-checks the condition
    after waiting for a concurrent writer). Otherwise, or after a rollback, the head is read under
    ``SELECT … FOR UPDATE``. Then one INSERT for all the entries: two statements in the usual case,
    however many entries, and still one chain.
    """
    conn = connections[using]
    known = getattr(conn, "_journal_tip", None)
    tip = None
    if known is not None:
        tip = _link(entries, known)
        linked = JournalHead.objects.using(using).filter(pk=1, last_hash=known)
        if not linked.update(last_hash=tip, count=F("count") + len(entries)):
            tip = None
    if tip is None:
        head, _ = (
            JournalHead.objects.using(using)
            .select_for_update()
            .get_or_create(pk=1, defaults={"last_hash": GENESIS})
        )
        tip = _link(entries, head.last_hash)
        head.last_hash, head.count = tip, head.count + len(entries)
        head.save(update_fields=["last_hash", "count"])
    if len(entries) == 1:
        entries[0].save(using=using)
    else:  # ids follow the list order, which is the chain's order
        JournalEntry.objects.using(using).bulk_create(entries)
    conn._journal_tip = tip


def entry(
    *, actor: Actor, action: str, authority=None, obj=None, details: dict | None = None
) -> JournalEntry:
    """An unsaved entry, for :func:`record_many`."""
    # Round-trip through JSON now so the hashed value is exactly what the database gives back.
    clean_details = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))
    return JournalEntry(
        at=timezone.now(),
        actor_kind=actor.kind,
        actor_user=actor.user,
        actor_label=actor.label[:300],
        authority=authority,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=clean_details,
    )


def record_many(entries: list[JournalEntry]) -> list[JournalEntry]:
    """Append several :func:`entry` values in order, under one lock of the head (a batch's changes).

    Inside :func:`deferred`, they are kept with the block's other entries, like :func:`record`'s.
    """
    pending = getattr(connections[DEFAULT_DB_ALIAS], "_journal_pending", None)
    if pending is not None:
        pending.extend(entries)
        return entries
    if entries:
        # No savepoint: the entries belong to the caller's changes, and are undone with them.
        with transaction.atomic(using=DEFAULT_DB_ALIAS, savepoint=False):
            _append(list(entries), DEFAULT_DB_ALIAS)
    return entries


def record(
    *, actor: Actor, action: str, authority=None, obj=None, details: dict | None = None
) -> JournalEntry:
    """Append one entry. Call it inside the transaction of the change it records.

    Inside :func:`deferred`, the entry is kept (unsaved) and appended when that block ends.
    """
    return record_many([entry(actor=actor, action=action, authority=authority, obj=obj, details=details)])[0]


@contextmanager
def deferred() -> Iterator[list[JournalEntry]]:
    """Keep the entries recorded inside the block and append them together when it ends: one head
    update and one INSERT for a whole batch of changes.

    Use it inside the batch's database transaction. A part of the batch undone by a savepoint must
    drop its entries from the yielded list (``del pending[mark:]``); if the block raises, nothing is
    appended (the transaction is being undone anyway). Not nestable.
    """
    conn = connections[DEFAULT_DB_ALIAS]
    if getattr(conn, "_journal_pending", None) is not None:
        raise RuntimeError("audit.deferred() is not nestable")
    pending: list[JournalEntry] = []
    conn._journal_pending = pending
    try:
        yield pending
    finally:
        conn._journal_pending = None
    record_many(pending)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Recompute every hash in order; name the first entry whose content or link does not match."""
    prev = GENESIS
    checked = 0
    for entry in JournalEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return ChainReport(
                False, checked, entry.pk, "lien rompu avec l'entrée précédente (entrée supprimée ?)"
            )
        if _digest(prev, _hashed_fields(entry)) != entry.hash:
            return ChainReport(False, checked, entry.pk, "contenu modifié après écriture")
        prev = entry.hash
        checked += 1
    head = JournalHead.objects.filter(pk=1).first()
    if head and (head.last_hash != prev or head.count != checked):
        return ChainReport(
            False, checked, None, "des entrées finales ont disparu (tête de chaîne différente)"
        )
    return ChainReport(True, checked)
