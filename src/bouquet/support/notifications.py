"""E-mails of the support context: rendered from ``support/emails/<name>{_subject.txt,.txt,.html}``,
sent once the change that calls for them is committed (a mail server down never undoes it)."""

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string

from bouquet.core.choices import Role
from bouquet.core.models import Membership, OperatorStaff

__all__ = ["after_commit", "authority_contacts", "send", "staff_addresses"]

logger = logging.getLogger(__name__)


def send(name: str, to: Iterable[str], context: dict, attachments: Iterable[tuple] = ()) -> int:
    """One message per address (addresses stay private to each other); returns how many were sent."""
    addresses = sorted({a for a in to if a})
    if not addresses:
        return 0
    base = f"support/emails/{name}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    attachments = list(attachments)
    messages = []
    for address in addresses:
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{base}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        messages.append(message)
    sent = mailers.default.send_messages(messages) or 0
    logger.info("support mail %s: %d message(s)", name, sent)
    return sent


def after_commit(
    name: str, to: Callable[[], Iterable[str]] | Iterable[str], context: dict, attachments=()
) -> None:
    """Send ``name`` when the current transaction commits (at once outside of one)."""

    def deliver(recipients) -> None:
        send(name, recipients() if callable(recipients) else recipients, context, attachments)

    transaction.on_commit(partial(deliver, to), robust=True)


def staff_addresses(operator) -> list[str]:
    """Who hears about members' requests: SUPPORT_REQUESTS_EMAIL, or every staff member."""
    if settings.SUPPORT_REQUESTS_EMAIL:
        return list(settings.SUPPORT_REQUESTS_EMAIL)
    staff = OperatorStaff.objects.filter(operator=operator, user__is_active=True).select_related("user")
    return [s.user.email for s in staff]


def authority_contacts(authority, *users) -> list[str]:
    """The given users if they still work for ``authority``, and its administrators."""
    members = Membership.objects.for_tenant(authority).filter(is_active=True, user__is_active=True)
    wanted = {u.pk for u in users if u is not None}
    chosen = members.filter(user_id__in=wanted) | members.filter(role=Role.ADMIN)
    return sorted({m.user.email for m in chosen.select_related("user")})
