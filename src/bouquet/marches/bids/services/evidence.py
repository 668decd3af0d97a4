"""The evidence log of each deposit: a hash chain of facts with the server's state at each one."""

import hashlib
import json
import os
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder

from bouquet.marches.bids.models import Deposit, EvidenceEvent
from bouquet.marches.bids.models.deposits import GENESIS

__all__ = ["add_evidence", "server_state", "verify_evidence"]


def server_state() -> dict:
    """What the server looked like at this moment (cheap enough to take on every piece)."""
    try:
        load = os.getloadavg()
    except OSError:  # pragma: no cover - platforms without getloadavg
        load = (0.0, 0.0, 0.0)
    return {
        "load1": round(load[0], 2),
        "load5": round(load[1], 2),
        "cpus": os.cpu_count() or 1,
        "pid": os.getpid(),
    }


def _digest(prev: str, seq: int, at: str, kind: str, details: dict, server: dict) -> str:
    payload = json.dumps(
        {"prev": prev, "seq": seq, "at": at, "kind": kind, "details": details, "server": server},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _clean(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def add_evidence(deposit: Deposit, kind: str, *, at, details: dict | None = None) -> EvidenceEvent:
    """Append one event; call it inside a transaction holding ``deposit``'s row lock."""
    details, server = _clean(details or {}), server_state()
    seq = deposit.evidence_count + 1
    at_text = at.astimezone(UTC).isoformat(timespec="microseconds")
    digest = _digest(deposit.evidence_head, seq, at_text, kind, details, server)
    event = EvidenceEvent.objects.create(
        deposit=deposit,
        seq=seq,
        at=at,
        kind=kind,
        details=details,
        server=server,
        prev_hash=deposit.evidence_head,
        hash=digest,
    )
    deposit.evidence_head, deposit.evidence_count = digest, seq
    Deposit.objects.filter(pk=deposit.pk).update(evidence_head=digest, evidence_count=seq)
    return event


def verify_evidence(deposit: Deposit) -> bool:
    """Recompute the chain; False when an event was edited, removed or added outside it."""
    deposit.refresh_from_db(fields=["evidence_head", "evidence_count"])
    prev, count = GENESIS, 0
    for event in deposit.evidence.order_by("seq"):
        count += 1
        at_text = event.at.astimezone(UTC).isoformat(timespec="microseconds")
        if event.seq != count or event.prev_hash != prev:
            return False
        if _digest(prev, event.seq, at_text, event.kind, event.details, event.server) != event.hash:
            return False
        prev = event.hash
    return prev == deposit.evidence_head and count == deposit.evidence_count
