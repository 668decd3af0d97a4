"""Apply a ministry mail: every @ctes message it carries moves the transaction it is about.

One database transaction (or one savepoint within a batch's transaction): the caller moves the mail
out of the inbox only after the commit, so a crash in between means the mail is read again and
recognised as already applied (key + SHA-256).
"""

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db import IntegrityError
from django.db import transaction as db
from django.utils import timezone

from bouquet.actes import notifications, transport
from bouquet.actes.choices import InboundState
from bouquet.actes.errors import ActesServiceError, ConcurrentChangeError, InboundError
from bouquet.actes.models import InboundMessage
from bouquet.actes.protocol import ActesError, parse_message
from bouquet.actes.protocol.messages import EnveloppeMISILLCL
from bouquet.actes.protocol.sniff import sniff_mime
from bouquet.actes.services.acknowledgements import Acknowledgement, apply_acknowledgements
from bouquet.actes.services.inbound_messages import ACTOR, Context, Received, apply_message
from bouquet.actes.storage import store_bytes
from bouquet.actes.transport import TransportError
from bouquet.core import audit
from bouquet.core.audit import record

__all__ = ["InboundResult", "apply_inbound_mail", "apply_inbound_mails", "process_mail"]

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


class _Read:
    """A mail as read: its named attachments, whether it is a multichannel notice, and its @ctes
    messages, parsed once (by the batch's acknowledgement sorting, or by the mail's application)."""

    def __init__(self, attachments: list, multichannel: bool) -> None:
        self.files = {a.filename: a.content for a in attachments if a.filename}
        self.multichannel = multichannel

    @cached_property
    def messages(self) -> tuple[list[Received], str | None]:
        """:func:`_read_xml` of the files; :class:`InboundError` when they hold no readable message."""
        return _read_xml(self.files)


def _read_mail(mail, reader) -> _Read:
    if hasattr(reader, "read_mail"):  # one parse of the mail instead of two
        return _Read(*reader.read_mail(mail.raw))
    multichannel = reader.is_multichannel_notice(mail.raw)
    return _Read([] if multichannel else reader.extract_attachments(mail.raw), multichannel)


def _apply(read: _Read, now: dt.datetime) -> Context:
    items, siren = read.messages
    ctx = Context(files=read.files, siren=siren, now=now)
    for item in items:
        apply_message(item, ctx)
    return ctx


def process_mail(
    mail, reader, now: dt.datetime, read: _Read | None = None
) -> tuple[str, str, Context | None]:
    """(state, reason, context) of applying ``mail.raw``; a failure leaves nothing applied.

    :param read: the mail as read already, if it was.
    """
    try:
        read = read if read is not None else _read_mail(mail, reader)
        if read.multichannel:
            return InboundState.IGNORED, MULTICHANNEL, None
        with db.atomic():  # savepoint: a message that fails undoes the others of the mail
            ctx = _apply(read, now)
    except ConcurrentChangeError:
        raise  # another worker moved the transaction meanwhile: the mail stays for the next pass
    except (ActesServiceError, TransportError) as exc:
        # InboundError, WorkflowError (an out-of-order answer), MailError (an unreadable mail).
        return InboundState.ERROR, exc.message, None
    return InboundState.APPLIED, "", ctx


def _apply_and_store(mail, reader, now: dt.datetime, read: _Read | None = None) -> InboundMessage:
    """Apply the mail and store it with its outcome, in the caller's transaction."""
    state, reason, ctx = process_mail(mail, reader, now, read)
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
    if state == InboundState.ERROR:
        logger.warning("Courriel ACTES en erreur (%s) : %s", mail.key, reason)
    return inbound


def _stored_before(mail) -> InboundResult | None:
    existing = InboundMessage.objects.filter(key=mail.key[:500], sha256=mail.sha256).first()
    return InboundResult(existing, duplicate=True) if existing is not None else None


def apply_inbound_mail(*, mail, reader=None, now: dt.datetime | None = None) -> InboundResult:
    """Apply ``mail`` (an ``InboundMail``) once; unmatched or malformed mails go to the error queue.

    A batch of one (:func:`apply_inbound_mails`), whose failure is raised.

    :param reader: provides ``read_mail``, or ``extract_attachments`` and ``is_multichannel_notice``
        (default: ``bouquet.actes.transport``).
    :return: the stored :class:`InboundMessage` (state applied, ignored or error, with the reason).
    """
    (result,) = apply_inbound_mails([mail], reader=reader, now=now)
    if isinstance(result, Exception):
        raise result
    return result


def _acknowledgement(index: int, mail, read: _Read) -> Acknowledgement | None:
    """The mail as an :class:`Acknowledgement` when its only @ctes message is an ``ARActe``."""
    if read.multichannel:
        return None
    try:
        items, siren = read.messages
    except ActesServiceError:
        return None  # the mail-by-mail path files it in the error queue, with the reason
    if len(items) != 1 or items[0].parsed.code != "1-2":
        return None
    return Acknowledgement(index, mail, items[0], siren)


def _acknowledge_together(mails, reads, now, journal) -> dict[int, InboundResult]:
    """Apply the batch's plain acknowledgements together (:mod:`.acknowledgements`), in a savepoint:
    if anything goes wrong there, it is undone and every mail takes the mail-by-mail path."""
    acks = [
        ack
        for index, (mail, read) in enumerate(zip(mails, reads, strict=True))
        if not isinstance(read, Exception) and (ack := _acknowledgement(index, mail, read)) is not None
    ]
    if not acks:
        return {}
    mark = len(journal)
    try:
        with db.atomic():
            applied = apply_acknowledgements(acks, now)
    except Exception:  # noqa: BLE001 - e.g. a concurrent worker; the one-by-one path says what it is
        del journal[mark:]
        logger.warning("Accusés de réception ACTES : lot repris courriel par courriel.", exc_info=True)
        return {}
    return {index: InboundResult(message) for index, message in applied.items()}


def apply_inbound_mails(mails: Sequence, *, reader=None, now: dt.datetime | None = None) -> list:
    """:func:`apply_inbound_mail` for several mails in one database transaction.

    Each mail is read once. The plain acknowledgements (one ``ARActe`` for an act in "Transmis") are
    applied together in a few statements (:mod:`.acknowledgements`); every other mail in a savepoint
    of its own. No lookup first: (key, SHA-256) is unique, so a mail read again (after a crash
    before it was moved, or a duplicate sent by the ministry) fails to insert, and everything it did
    is undone. Their journal entries are appended together and their notifications sent together
    once it commits. Returns, in order, each mail's :class:`InboundResult`, or the exception that
    left it unapplied (a concurrent change, the database…): that mail stays in the inbox for the next
    pass.
    """
    reader = reader_or_default(reader)
    reads: list = []
    for mail in mails:
        try:
            reads.append(_read_mail(mail, reader))
        except Exception as exc:  # noqa: BLE001 - told by the mail-by-mail path, which reads it again
            reads.append(exc)
    results: list = []
    with notifications.batched(), db.atomic(), audit.deferred() as journal:
        together = _acknowledge_together(mails, reads, now, journal)
        for index, (mail, read) in enumerate(zip(mails, reads, strict=True)):
            if index in together:
                results.append(together[index])
                continue
            mark = len(journal)
            try:
                with db.atomic():  # savepoint: this mail's effects, undone alone if it fails
                    known = None if isinstance(read, Exception) else read
                    stamp = now or timezone.now()  # when this mail is applied, not when the batch began
                    results.append(InboundResult(_apply_and_store(mail, reader, stamp, known)))
            except IntegrityError as exc:
                del journal[mark:]
                results.append(_stored_before(mail) or exc)
            except Exception as exc:  # noqa: BLE001 - reported to the caller; the other mails go on
                del journal[mark:]
                results.append(exc)
    return results
