"""Secure exchanges between a buyer and each bidder, with proofs of sending and reading.

Rules (after the Ternum/ATEXO practice, spec §1.7): the buyer writes only to companies that
deposited, and only after the deadline (before it, nobody knows who deposited); negotiation only
where the procedure allows it. Before the deadline a company may write to the buyer; after it, a
company can only answer a request that expects an answer, once, and before its due date.
"""

import hashlib
import json
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from bouquet.core.audit import Actor, record
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import ModuleRight
from bouquet.marches.bids import clock, storage
from bouquet.marches.bids.choices import Direction, MessageKind
from bouquet.marches.bids.errors import BidsError
from bouquet.marches.bids.models import Deposit, Message
from bouquet.marches.bids.services.deposit_start import clean_file_name
from bouquet.marches.bids.services.notification_receipt import notification_received
from bouquet.marches.bids.services.rights import require_buyer, require_company_member
from bouquet.marches.models import Company, Consultation
from bouquet.marches.services.history import add_event

logger = logging.getLogger(__name__)

__all__ = ["Attachment", "MAX_ATTACHMENT", "mark_read", "message_digest", "send_to_buyer", "send_to_company"]

MAX_ATTACHMENT = 20 * 1024 * 1024
BUYER_KINDS = {
    MessageKind.INFORMATION,
    MessageKind.COMPLEMENT,
    MessageKind.CLARIFICATION,
    MessageKind.NEGOTIATION,
}


class Attachment:
    def __init__(self, name: str, content: bytes) -> None:
        self.name, self.content = clean_file_name(name), content


def message_digest(message: Message) -> str:
    """SHA-256 over what was sent: the proof of sending names this value."""
    payload = {
        "consultation": message.consultation_id,
        "company": message.company_id,
        "direction": message.direction,
        "kind": message.kind,
        "subject": message.subject,
        "body": message.body,
        "attachment": [message.attachment_name, message.attachment_sha256],
        "sent_at": message.sent_at.isoformat(),
        "sent_by": message.sent_by_id,
        "in_reply_to": message.in_reply_to_id,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _store_attachment(message: Message, attachment: Attachment | None) -> None:
    if attachment is None:
        return
    if len(attachment.content) > MAX_ATTACHMENT:
        raise BidsError("La pièce jointe dépasse 20 Mo.")
    if not attachment.content:
        raise BidsError("La pièce jointe est vide.")
    name = f"marches_bids/messages/{message.consultation_id}/{hashlib.sha256(attachment.content).hexdigest()}"
    message.attachment_path = storage.write(name, attachment.content)
    message.attachment_name, message.attachment_size = attachment.name, len(attachment.content)
    message.attachment_sha256 = hashlib.sha256(attachment.content).hexdigest()


def _save(message: Message, attachment: Attachment | None, history: str, actor: Actor) -> Message:
    _store_attachment(message, attachment)
    with transaction.atomic():
        message.save()
        message.digest = message_digest(message)
        Message.objects.filter(pk=message.pk).update(digest=message.digest)
        add_event(
            message.consultation,
            "bids.message",
            history,
            actor,
            message_id=message.pk,
            message_kind=message.kind,
        )
        record(
            actor=actor,
            action="marches_bids.message.sent",
            authority=message.authority,
            obj=message,
            details={"kind": message.kind, "company": message.company.siret, "digest": message.digest},
        )
    transaction.on_commit(lambda: _notify(message))
    return message


def send_to_company(
    *,
    consultation: Consultation,
    company: Company,
    actor: Actor,
    kind: str,
    subject: str,
    body: str,
    answer_due=None,
    attachment: Attachment | None = None,
    award=None,
) -> Message:
    """A buyer's message to one bidder.

    :raises RightsError: not an agent with the MARCHES write right.
    :raises BidsError: before the deadline, not a bidder, or negotiation not allowed by the procedure.
    """
    require_buyer(actor, consultation.authority, write=True)
    now = clock.now()
    if kind not in BUYER_KINDS | {MessageKind.REJECTION, MessageKind.NOTIFICATION}:
        raise BidsError("Nature de message inconnue.")
    if not consultation.deadline_passed(now):
        raise BidsError("Vous pourrez écrire aux entreprises après la date limite de remise des plis.")
    if not Deposit.objects.filter(consultation=consultation, company=company).received().exists():
        raise BidsError("Cette entreprise n'a pas déposé de pli sur cette consultation.")
    if kind == MessageKind.NEGOTIATION and not consultation.allows_negotiation:
        raise BidsError("La procédure de cette consultation ne permet pas de négocier.")
    if not subject.strip() or not body.strip():
        raise BidsError("Indiquez un objet et un message.")
    if answer_due is not None and answer_due <= now:
        raise BidsError("La date de réponse attendue doit être dans le futur.")
    message = Message(
        authority_id=consultation.authority_id,
        consultation=consultation,
        company=company,
        direction=Direction.TO_COMPANY,
        kind=kind,
        subject=subject.strip()[:300],
        body=body.strip(),
        answer_due=answer_due,
        sent_at=now,
        sent_by=actor.user,
        award=award,
    )
    label = MessageKind(kind).label
    return _save(message, attachment, f"{label} envoyée à {company.name} : « {message.subject} ».", actor)


def send_to_buyer(
    *,
    consultation: Consultation,
    company: Company,
    actor: Actor,
    subject: str,
    body: str,
    in_reply_to: Message | None = None,
    attachment: Attachment | None = None,
) -> Message:
    """A company's message: free before the deadline, only an answer after it.

    :raises RightsError: the actor does not act for ``company``.
    :raises BidsError: after the deadline without a request to answer, already answered, or too late.
    """
    require_company_member(actor, company)
    now = clock.now()
    if not subject.strip() or not body.strip():
        raise BidsError("Indiquez un objet et un message.")
    if in_reply_to is not None:
        if in_reply_to.company_id != company.pk or in_reply_to.consultation_id != consultation.pk:
            raise BidsError("Ce message ne vous est pas adressé.")
        if not in_reply_to.expects_answer:
            raise BidsError("Ce message n'attend pas de réponse.")
        if in_reply_to.answers.exists():
            raise BidsError("Vous avez déjà répondu à ce message.")
        if in_reply_to.answer_due and now > in_reply_to.answer_due:
            raise BidsError("Le délai de réponse à ce message est dépassé.")
    elif consultation.deadline_passed(now):
        raise BidsError(
            "Après la date limite de remise des plis, vous pouvez seulement répondre "
            "aux messages de l'acheteur."
        )
    elif not consultation.is_open_for_bids(now):
        raise BidsError("Cette consultation n'est pas ouverte.")
    message = Message(
        authority_id=consultation.authority_id,
        consultation=consultation,
        company=company,
        direction=Direction.TO_BUYER,
        kind=MessageKind.ANSWER if in_reply_to else MessageKind.QUESTION,
        subject=subject.strip()[:300],
        body=body.strip(),
        in_reply_to=in_reply_to,
        sent_at=now,
        sent_by=actor.user,
    )
    what = "Réponse" if in_reply_to else "Message"
    return _save(message, attachment, f"{what} de {company.name} : « {message.subject} ».", actor)


def mark_read(*, message: Message, actor: Actor) -> Message:
    """Record the first reading by the recipient side (the proof of reading / of receipt)."""
    if message.direction == Direction.TO_COMPANY:
        require_company_member(actor, message.company)
    else:
        require_buyer(actor, message.consultation.authority, write=False)
    if message.read_at is not None:
        return message
    now = clock.now()
    with transaction.atomic():
        if not Message.objects.filter(pk=message.pk, read_at__isnull=True).update(
            read_at=now, read_by=actor.user
        ):
            return Message.objects.get(pk=message.pk)
        message.read_at, message.read_by = now, actor.user
        add_event(
            message.consultation,
            "bids.message_read",
            f"Message « {message.subject} » lu.",
            actor,
            message_id=message.pk,
        )
        record(
            actor=actor,
            action="marches_bids.message.read",
            authority=message.authority,
            obj=message,
            details={"digest": message.digest},
        )
        if message.kind == MessageKind.NOTIFICATION and message.award_id:
            notification_received(award=message.award, at=now, actor=actor)
    return message


def _notify(message: Message) -> None:
    """E-mail the other side that a message waits on the platform (its content stays there)."""
    if message.direction == Direction.TO_COMPANY:
        users = [m.user for m in message.company.memberships.filter(is_active=True).select_related("user")]
        to = sorted({u.email for u in users} | {message.company.email} - {""})
    else:
        to = _buyer_recipients(message)
    if not to:
        return
    context = {"message": message}
    subject = " ".join(render_to_string("marches_bids/emails/message_subject.txt", context).split())
    mail = EmailMultiAlternatives(
        subject, render_to_string("marches_bids/emails/message.txt", context), to=to
    )
    try:
        mail.send()
    except Exception:  # noqa: BLE001 - the message is on the platform; the e-mail is only a heads-up
        logger.exception("message %s: e-mail heads-up failed", message.pk)


def _buyer_recipients(message: Message) -> list[str]:
    rights = ModuleRight.objects.filter(
        membership__authority_id=message.authority_id,
        membership__is_active=True,
        module__code=ModuleCode.MARCHES,
        access=Access.WRITE,
    ).select_related("membership__user")
    return sorted({r.membership.user.email for r in rights} - {""})
