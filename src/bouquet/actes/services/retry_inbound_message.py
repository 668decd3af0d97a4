"""Replay a mail of the error queue once its cause is fixed (authority created, answer arrived late…)."""

import datetime as dt
from types import SimpleNamespace

from django.db import transaction as db
from django.utils import timezone

from bouquet.actes.choices import InboundState
from bouquet.actes.errors import ActesServiceError
from bouquet.actes.models import InboundMessage
from bouquet.actes.services.apply_inbound_mail import InboundResult, process_mail, reader_or_default
from bouquet.core.audit import Actor, record

__all__ = ["retry_inbound_message"]


def retry_inbound_message(
    *, inbound: InboundMessage, actor: Actor, reader=None, now: dt.datetime | None = None
) -> InboundResult:
    """Apply the stored raw mail again; the row keeps its key and gets the new state and reason.

    :raises ActesServiceError: the mail is not in error (it was applied or ignored already).
    """
    now = now or timezone.now()
    with db.atomic():
        row = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
        if row.state != InboundState.ERROR:
            raise ActesServiceError("Seul un courriel en erreur peut être rejoué.")
        before = row.reason
        row.state, row.reason, ctx = process_mail(
            SimpleNamespace(raw=row.raw.read()), reader_or_default(reader), now
        )
        if ctx and ctx.touched:
            row.authority = ctx.touched[0].authority
            row.transactions.set(ctx.touched)
        row.save(update_fields=["state", "reason", "authority"])
        record(
            actor=actor,
            action="actes.inbound.retry",
            authority=row.authority,
            obj=row,
            details={"before": before, "state": row.state, "reason": row.reason},
        )
    return InboundResult(row)
