"""Acknowledgements of a batch of ministry mails applied together (helpers of ``apply_inbound_mails``).

Most mails of the answer pass carry one ``ARActe`` (1-2) for an act in "Transmis". Applied one by
one, each costs 13 statements (match, status, history, files, the mail, its link, two savepoints);
applied together, the whole batch costs about 12. The rules are the same as
:func:`bouquet.actes.services.inbound_messages.apply_message`'s, and whatever this path does not
take (a mail seen before, an act not found or not in "Transmis", a second AR for the same act) is
left to the mail-by-mail path, which applies or refuses it with its usual reason.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from bouquet.actes import matching, workflow
from bouquet.actes.choices import FileRole, InboundState, Status
from bouquet.actes.models import InboundMessage, Transaction, TransactionFile
from bouquet.actes.protocol.errors import FileNameError
from bouquet.actes.protocol.names import parse_message_name
from bouquet.actes.services.common import Document, attach_files_many
from bouquet.actes.services.inbound_messages import ACTOR, Received
from bouquet.actes.storage import store_many
from bouquet.core import audit

__all__ = ["Acknowledgement", "apply_acknowledgements"]


@dataclass(frozen=True)
class Acknowledgement:
    """A mail whose only @ctes message is an ``ARActe``: its place in the batch and what it says."""

    index: int
    mail: object  # an InboundMail: key, sha256, raw
    item: Received
    siren: str | None  # of the ministry envelope, when the message's own name does not tell

    @property
    def number(self) -> str:
        return self.item.parsed.message.acte_recu.numero_interne

    @property
    def to_siren(self) -> str | None:
        try:
            return parse_message_name(self.item.name).siren
        except FileNameError:
            return self.siren


def _seen_before(acks: Sequence[Acknowledgement]) -> set[tuple[str, str]]:
    keys = {a.mail.key[:500] for a in acks}
    return set(InboundMessage.objects.filter(key__in=keys).values_list("key", "sha256"))


def apply_acknowledgements(
    acks: Sequence[Acknowledgement], now: dt.datetime | None = None
) -> dict[int, InboundMessage]:
    """Apply those that can go together, in the caller's transaction; their stored mails by index.

    The acts move 3 → 4 with :func:`workflow.change_statuses` (the rows are held); the ARs join the
    acts' files, the mails are stored as applied and linked to their act, and their journal entries
    are appended with the batch's (or deferred with it).
    """
    seen = _seen_before(acks)
    acts = matching.find_acts({(a.to_siren, a.number) for a in acks}, hold=True)
    # Stamped once the rows are held: a change another worker made to them comes before this one.
    now = now or timezone.now()
    taken: list[tuple[Acknowledgement, Transaction]] = []
    used: set[int] = set()
    once: set[tuple[str, str]] = set()
    for ack in acks:
        mail_id = (ack.mail.key[:500], ack.mail.sha256)
        act = acts.get((ack.to_siren, ack.number))
        if mail_id in seen or mail_id in once or act is None or act.pk in used:
            continue
        if act.status != Status.TRANSMIS:  # e.g. still "en attente" after an interrupted send
            continue
        taken.append((ack, act))
        used.add(act.pk)
        once.add(mail_id)
    if not taken:
        return {}

    workflow.change_statuses(
        [
            workflow.Change(
                act,
                workflow.Event.ACK_RECEIVED,
                f"Reçu par le MI le {ack.item.parsed.message.date_reception:%Y-%m-%d}",
                {"id_acte": ack.item.parsed.message.id_acte},
                received_xml=ack.item.raw,
                findings=ack.item.parsed.schema_errors,
            )
            for ack, act in taken
        ],
        actor=ACTOR,
        now=now,
    )
    counts = dict(
        TransactionFile.objects.filter(transaction__in=[act.pk for _, act in taken])
        .values("transaction")
        .annotate(n=Count("id"))
        .values_list("transaction", "n")
    )
    ar_files = [(Document(ack.item.name, ack.item.raw), FileRole.AR, ack.item.name) for ack, _ in taken]
    attach_files_many(  # each AR after the act's own files, where ``_keep`` puts it
        [(act, [ar], counts.get(act.pk, 0) + 1) for (_, act), ar in zip(taken, ar_files, strict=True)]
    )
    raws = store_many([ack.mail.raw for ack, _ in taken])
    inbound = InboundMessage.objects.bulk_create(
        InboundMessage(
            key=ack.mail.key[:500],
            sha256=ack.mail.sha256,
            received_at=now,
            state=InboundState.APPLIED,
            reason="",
            raw=raw,
            authority=act.authority,
        )
        for (ack, act), raw in zip(taken, raws, strict=True)
    )
    link = InboundMessage.transactions.through
    link.objects.bulk_create(
        link(inboundmessage=message, transaction=act)
        for message, (_, act) in zip(inbound, taken, strict=True)
    )
    audit.record_many(
        [
            audit.entry(
                actor=ACTOR,
                action=f"actes.inbound.{InboundState.APPLIED}",
                authority=act.authority,
                obj=message,
                details={"key": ack.mail.key, "reason": ""},
            )
            for message, (ack, act) in zip(inbound, taken, strict=True)
        ]
    )
    return {ack.index: message for message, (ack, _) in zip(inbound, taken, strict=True)}
