"""E-mails of the procurement platform: one message per recipient (addresses stay private),
sent once the transaction that caused them has committed."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Membership
from bouquet.marches.models import Consultation, Downloader

__all__ = ["notify_buyers", "notify_downloaders", "public_link"]

logger = logging.getLogger(__name__)


def public_link(name: str, *args) -> str:
    return settings.MARCHES_PUBLIC_URL.rstrip("/") + reverse(name, args=args)


def _message(template: str, context: dict, to: str) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"marches/emails/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"marches/emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"marches/emails/{template}.html", context), "text/html")
    return message


def _send(messages: list, label: str) -> None:
    try:
        sent = mailers.default.send_messages(messages) or 0
    except OSError:  # the change is committed: a mail server outage must not turn it into an error
        logger.exception("marches: could not send %s", label)
        return
    logger.info("marches: %s, %d message(s)", label, sent)


def notify_downloaders(consultation: Consultation, template: str, context: dict) -> int:
    """E-mail every active registered downloader after commit; :return: how many will be sent."""
    registrations = list(Downloader.objects.filter(consultation=consultation, unsubscribed_at__isnull=True))
    base = {
        "consultation": consultation,
        "authority": consultation.authority,
        "link": public_link("marches_public:consultation", consultation.pk),
        **context,
    }
    messages = [
        _message(
            template,
            {**base, "unsubscribe": public_link("marches_public:unsubscribe", r.token)},
            r.email,
        )
        for r in registrations
    ]
    if messages:
        transaction.on_commit(lambda: _send(messages, f"{template} for consultation {consultation.pk}"))
    return len(messages)


def notify_buyers(consultation: Consultation, template: str, context: dict) -> int:
    """E-mail the authority's agents with write access to MARCHES, after commit."""
    memberships = Membership.objects.filter(
        authority=consultation.authority, is_active=True, user__is_active=True
    ).prefetch_related("rights__module")
    users = [
        m.user
        for m in memberships.select_related("user")
        if (right := m.right(ModuleCode.MARCHES)) and right.access == Access.WRITE and m.user.email
    ]
    base = {
        "consultation": consultation,
        "link": settings.MARCHES_PUBLIC_URL.rstrip("/") + reverse("marches:detail", args=[consultation.pk]),
        **context,
    }
    messages = [_message(template, {**base, "user": user}, user.email) for user in users]
    if messages:
        transaction.on_commit(lambda: _send(messages, f"{template} for consultation {consultation.pk}"))
    return len(messages)
