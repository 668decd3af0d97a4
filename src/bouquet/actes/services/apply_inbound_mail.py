"""Apply a ministry mail: every @ctes message it carries moves the transaction it is about.

One database transaction: the caller moves the mail out of the inbox only after the commit, so a
crash in between means the mail is read again and recognised as already applied (key + SHA-256).
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError
from django.db import transaction as db
from django.utils import timezone

from bouquet.actes import transport
from bouquet.actes.choices import InboundState
from bouquet.actes.errors import ActesServiceError, ConcurrentChangeError, InboundError
from bouquet.actes.models import InboundMessage
from bouquet.actes.protocol import ActesError, parse_message
from bouquet.actes.protocol.messages import EnveloppeMISILLCL
from bouquet.actes.protocol.sniff import sniff_mime
from bouquet.actes.services.inbound_messages import ACTOR, Context, Received, apply_message
from bouquet.actes.storage import store_bytes
from bouquet.actes.transport import TransportError
from bouquet.core.audit import record

__all__ = ["InboundResult", "apply_inbound_mail", "process_mail"]

logger = logging.getLogger(__name__)
MULTICHANNEL = "Acte transmis en multicanal : message ignoré."


@dataclass(frozen=True)
class InboundResult:
    """The stored mail and whether it had been applied before (then nothing was done again)."""

    message: InboundMessage
    duplicate: bool = False

    @property
    def state(self) -> str:
        return self.message.state


def reader_or_default(reader):
    return reader if reader is not None else transport


def _read_xml(files: dict[str, bytes]) -> tuple[list[Received], str | None]:
    """Parse every XML attachment leniently; the ministry envelope only tells the recipient SIREN."""
    items, siren = [], None
    for name, data in files.items():
        if sniff_mime(data) != "application/xml" and not name.lower().endswith(".xml"):
            continue
        try:
            parsed = parse_message(data)
        except ActesError as exc:
            raise InboundError(f"Fichier {name} illisible : {exc}") from None
        if isinstance(parsed.message, EnveloppeMISILLCL):
            siren = parsed.message.destinataire_siren
        else:
            items.append(Received(name, data, parsed))
    if not items:
        raise InboundError("Aucun message @ctes dans ce courriel.")
    return items, siren


def _apply(files: dict[str, bytes], now: dt.datetime) -> Context:
    items, siren = _read_xml(files)
    ctx = Context(files=files, siren=siren, now=now)
    for item in items:
        apply_message(item, ctx)
    return ctx


def process_mail(mail, reader, now: dt.datetime) -> tuple[str, str, Context | None]:
    """(state, reason, context) of applying ``mail.raw``; a failure leaves nothing applied."""
    try:
        if hasattr(reader, "read_mail"):  # one parse of the mail instead of two
            attachments, multichannel = reader.read_mail(mail.raw)
        else:
            multichannel = reader.is_multichannel_notice(mail.raw)
            attachments = [] if multichannel else reader.extract_attachments(mail.raw)
        if multichannel:
            return InboundState.IGNORED, MULTICHANNEL, None
        files = {a.filename: a.content for a in attachments if a.filename}
        with db.atomic():  # savepoint: a message that fails undoes the others of the mail
            ctx = _apply(files, now)
    except ConcurrentChangeError:
        raise  # another worker moved the transaction meanwhile: the mail stays for the next pass
    except (ActesServiceError, TransportError) as exc:
        # InboundError, WorkflowError (an out-of-order answer), MailError (an unreadable mail).
        return InboundState.ERROR, exc.message, None
    return InboundState.APPLIED, "", ctx


def apply_inbound_mail(*, mail, reader=None, now: dt.datetime | None = None) -> InboundResult:
    """Apply ``mail`` (an ``InboundMail``) once; unmatched or malformed mails go to the error queue.

    :param reader: provides ``read_mail``, or ``extract_attachments`` and ``is_multichannel_notice``
        (default: ``bouquet.actes.transport``).
    :return: the stored :class:`InboundMessage` (state applied, ignored or error, with the reason).
    """
    now = now or timezone.now()
    # No lookup first: (key, SHA-256) is unique, so a mail read again (after a crash before it was
    # moved, or a duplicate sent by the ministry) fails to insert, and everything it did is undone.
    try:
        with db.atomic():
            state, reason, ctx = process_mail(mail, reader_or_default(reader), now)
            inbound = InboundMessage.objects.create(
                key=mail.key[:500],
                sha256=mail.sha256,
                received_at=now,
                state=state,
                reason=reason,
                raw=store_bytes(mail.raw),
                authority=ctx.touched[0].authority if ctx and ctx.touched else None,
            )
            if ctx and ctx.touched:  # a new row: its links are inserted in one go, nothing to compare
                link = InboundMessage.transactions.through
                link.objects.bulk_create(
                    link(inboundmessage=inbound, transaction=t) for t in dict.fromkeys(ctx.touched)
                )
            record(
                actor=ACTOR,
                action=f"actes.inbound.{state}",
                authority=inbound.authority,
                obj=inbound,
                details={"key": mail.key, "reason": reason},
            )
    except IntegrityError:  # stored before (by us, or by another poller first)
        existing = InboundMessage.objects.filter(key=mail.key[:500], sha256=mail.sha256).first()
        if existing is None:
            raise
        return InboundResult(existing, duplicate=True)
    if state == InboundState.ERROR:
        logger.warning("Courriel ACTES en erreur (%s) : %s", mail.key, reason)
    return InboundResult(inbound)
