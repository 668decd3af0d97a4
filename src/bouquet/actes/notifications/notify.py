"""Render and send one ACTES notification to the people concerned."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from bouquet.actes.models import Transaction
from bouquet.actes.models.notifications import NotificationEvent, NotificationPreference
from bouquet.core.choices import Role
from bouquet.core.models import Membership

__all__ = ["DIGEST_HEADINGS", "digests_for", "messages_for", "notify", "recipients"]

logger = logging.getLogger(__name__)


def _act(transaction: Transaction) -> Transaction:
    # A préfecture letter is about an act: its author is the one to tell.
    return transaction.related if transaction.related_id else transaction


def recipients(transaction: Transaction, event: NotificationEvent) -> list:
    """Active users to e-mail: the act's author and the authority's admins, each still an active member,
    minus those who turned this event off for this authority (one query)."""
    authority_id = transaction.authority_id
    muted = NotificationPreference.objects.filter(
        authority_id=authority_id, event=event, enabled=False, user_id=OuterRef("user_id")
    )
    members = (
        Membership.objects.filter(authority_id=authority_id, is_active=True, user__is_active=True)
        .filter(Q(role=Role.ADMIN) | Q(user_id=_act(transaction).created_by_id))
        .exclude(Exists(muted))
        .exclude(user__email="")
        .select_related("user")
    )
    users = {m.user_id: m.user for m in members}
    return sorted(users.values(), key=lambda u: u.email)


def _link(act: Transaction) -> str:
    base = getattr(settings, "PUBLIC_URL", "")
    if not base:
        return ""
    try:
        return base.rstrip("/") + reverse("actes:detail", args=[act.pk])
    except NoReverseMatch:
        return ""


def _context(transaction: Transaction, event: NotificationEvent, change: tuple | None) -> dict:
    act = _act(transaction)
    if change is None:
        last = transaction.history.order_by("-at", "-id").first()
        change = (last.message, last.at) if last else ("", transaction.last_status_at)
    message, at = change
    return {
        "event": event,
        "transaction": transaction,
        "act": act,
        "authority": transaction.authority,
        "message": message,
        "at": at,
        "id_acte": act.id_acte or transaction.id_acte,
        "link": _link(act),
    }


def _cached_recipients(transaction: Transaction, event: NotificationEvent, known: dict | None) -> list:
    if known is None:
        return recipients(transaction, event)
    key = (transaction.authority_id, _act(transaction).created_by_id, event)
    if key not in known:
        known[key] = recipients(transaction, event)
    return known[key]


def _email(user, subject: str, name: str, context: dict) -> EmailMultiAlternatives:
    personal = {**context, "user": user}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{name}.txt", personal),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string(f"{name}.html", personal), "text/html")
    return message


def _subject(name: str, context: dict) -> str:
    return " ".join(render_to_string(f"{name}_subject.txt", context).split())


def messages_for(
    transaction: Transaction,
    event: NotificationEvent,
    change: tuple | None = None,
    *,
    known: dict | None = None,
) -> list[EmailMultiAlternatives]:
    """The e-mails telling ``event`` about ``transaction``, one per recipient (addresses stay private).

    :param change: (message, time) of the status change being told; default: the last history row.
    :param known: recipients already read in this batch, by (authority, author, event); filled here.

    Templates ``actes/emails/<event>_subject.txt``, ``<event>.txt`` and ``<event>.html``.
    """
    event = NotificationEvent(event)
    users = _cached_recipients(transaction, event, known)
    if not users:
        return []
    context = _context(transaction, event, change)
    name = f"actes/emails/{event.value}"
    subject = _subject(name, context)
    return [_email(user, subject, name, context) for user in users]


#: What a digest's subject and first line call several changes of one kind (plural, French).
DIGEST_HEADINGS = {
    NotificationEvent.AR_RECEIVED: "accusés de réception de la préfecture",
    NotificationEvent.ANOMALY: "anomalies signalées par le ministère",
    NotificationEvent.LETTER_RECEIVED: "courriers de la préfecture reçus",
    NotificationEvent.CANCELLATION_AR: "annulations d'actes acquittées",
}


def digests_for(changes, *, on_error=None) -> list[EmailMultiAlternatives]:
    """The e-mails of several changes told together (the answer pass's batch): a person with one
    change of a kind in an authority gets the usual mail; with several, one digest listing them, as
    the acts of a council meeting are sent, and acknowledged, together.

    :param changes: (transaction, event, change) triples, in the order to tell them.
    :param on_error: called with (event, exception) for a change that cannot be prepared; the others go.
    """
    known: dict = {}
    groups: dict[tuple, tuple] = {}
    for transaction, event, change in changes:
        try:
            event = NotificationEvent(event)
            users = _cached_recipients(transaction, event, known)
            context = _context(transaction, event, change) if users else None
        except Exception as exc:  # noqa: BLE001 - one bad change must not lose the others
            if on_error is None:
                raise
            on_error(event, exc)
            continue
        for user in users:
            key = (user.pk, transaction.authority_id, event)
            groups.setdefault(key, (user, event, []))[2].append(context)
    subjects: dict[int, str] = {}  # a change told to several people: its subject rendered once
    messages = []
    for user, event, contexts in groups.values():
        try:
            if len(contexts) == 1:
                context = contexts[0]
                name = f"actes/emails/{event.value}"
                if id(context) not in subjects:
                    subjects[id(context)] = _subject(name, context)
                messages.append(_email(user, subjects[id(context)], name, context))
                continue
            digest = {
                "event": event,
                "heading": DIGEST_HEADINGS[event],
                "authority": contexts[0]["authority"],
                "items": contexts,
                "count": len(contexts),
            }
            name = "actes/emails/digest"
            messages.append(_email(user, _subject(name, digest), name, digest))
        except Exception as exc:  # noqa: BLE001
            if on_error is None:
                raise
            on_error(event, exc)
    return messages


def notify(transaction: Transaction, event: NotificationEvent, change: tuple | None = None) -> int:
    """E-mail ``event`` about ``transaction`` (:func:`messages_for`); how many messages were sent."""
    messages = messages_for(transaction, event, change)
    if not messages:
        return 0
    sent = mailers.default.send_messages(messages) or 0
    logger.info("ACTES notification %s for transaction %s: %d message(s)", event, transaction.pk, sent)
    return sent
