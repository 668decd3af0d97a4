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

__all__ = ["DIGEST_HEADINGS", "messages_for", "notify", "recipients"]

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


#: What a digest's subject and first line call several changes of one kind (plural, French).
DIGEST_HEADINGS = {
    NotificationEvent.AR_RECEIVED: "accusés de réception de la préfecture",
    NotificationEvent.ANOMALY: "anomalies signalées par le ministère",
    NotificationEvent.LETTER_RECEIVED: "courriers de la préfecture reçus",
    NotificationEvent.CANCELLATION_AR: "annulations d'actes acquittées",
}


def _digest(user, event: NotificationEvent, contexts: list[dict]) -> EmailMultiAlternatives:
    """One mail listing several changes of a kind (templates ``actes/emails/digest*``)."""
    digest = {
        "event": event,
        "heading": DIGEST_HEADINGS[event],
        "authority": contexts[0]["authority"],
        "items": contexts,
        "count": len(contexts),
    }
    return _email(user, _subject("actes/emails/digest", digest), "actes/emails/digest", digest)


def messages_for(changes, *, on_error=None) -> list[EmailMultiAlternatives]:
    """The e-mails telling ``changes``, one per recipient (addresses stay private).

    A person with one change of a kind in an authority gets the mail of that event (templates
    ``actes/emails/<event>_subject.txt``, ``<event>.txt``, ``<event>.html``); with several (an answer
    pass's batch: the acts of a council meeting are sent, and acknowledged, together), one digest
    listing them. Recipients are read once per (authority, author, event).

    :param changes: (transaction, event, change) triples, in the order to tell them; ``change`` is the
        (message, time) of the status change, or None for the transaction's last history row.
    :param on_error: called with (event, exception) for a change that cannot be prepared, and the
        others go; without it, the exception is raised.
    """
    known: dict[tuple, list] = {}
    groups: dict[tuple, tuple] = {}
    for transaction, event, change in changes:
        try:
            event = NotificationEvent(event)
            key = (transaction.authority_id, _act(transaction).created_by_id, event)
            if key not in known:
                known[key] = recipients(transaction, event)
            context = _context(transaction, event, change) if known[key] else None
        except Exception as exc:  # noqa: BLE001 - one bad change must not lose the others
            if on_error is None:
                raise
            on_error(event, exc)
            continue
        for user in known[key]:
            group = groups.setdefault((user.pk, transaction.authority_id, event), (user, event, []))
            group[2].append(context)
    subjects: dict[int, str] = {}  # a change told to several people: its subject rendered once
    messages = []
    for user, event, contexts in groups.values():
        try:
            if len(contexts) > 1:
                messages.append(_digest(user, event, contexts))
                continue
            (context,) = contexts
            name = f"actes/emails/{event.value}"
            if id(context) not in subjects:
                subjects[id(context)] = _subject(name, context)
            messages.append(_email(user, subjects[id(context)], name, context))
        except Exception as exc:  # noqa: BLE001 - as above
            if on_error is None:
                raise
            on_error(event, exc)
    return messages


def notify(transaction: Transaction, event: NotificationEvent, change: tuple | None = None) -> int:
    """E-mail ``event`` about ``transaction`` (:func:`messages_for`); how many messages were sent."""
    messages = messages_for([(transaction, event, change)])
    if not messages:
        return 0
    sent = mailers.default.send_messages(messages) or 0
    logger.info("ACTES notification %s for transaction %s: %d message(s)", event, transaction.pk, sent)
    return sent
