"""The convention kit: write its PDFs to a folder (CLI), or e-mail them to the members' admins."""

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.utils.html import escape, linebreaks

from bouquet.backoffice.documents.kit import build_kit, kit_email
from bouquet.core.audit import Actor, record
from bouquet.core.choices import Role
from bouquet.core.models import Authority, Membership

__all__ = ["KitDispatch", "kit_recipients", "send_convention_kit", "write_convention_kit"]

logger = logging.getLogger(__name__)


@dataclass
class KitDispatch:
    """What happened for one member: to whom the kit went, or why it did not."""

    authority: Authority
    recipients: list[str] = field(default_factory=list)
    error: str = ""


def kit_recipients(authority) -> list[str]:
    """E-mail addresses of the member's active administrators (active accounts only), sorted."""
    rows = Membership.objects.filter(
        authority=authority, role=Role.ADMIN, is_active=True, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted({email for email in rows if email})


def write_convention_kit(
    *, authority, output_dir: Path, actor: Actor, today: date | None = None
) -> list[Path]:
    """Write the kit's PDFs into ``output_dir`` (created if needed); return their paths."""
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    documents = build_kit(authority, today=today)
    for document in documents:
        path = output_dir / document.filename  # SIREN + fixed words: nothing from user input
        path.write_bytes(document.content)
        paths.append(path)
    with transaction.atomic():
        record(
            actor=actor,
            action="backoffice.kit.generate",
            authority=authority,
            obj=authority,
            details={"documents": [d.filename for d in documents]},
        )
    return paths


def _message(authority, to: str, today: date | None, documents) -> EmailMultiAlternatives:
    subject, body = kit_email(authority, today=today)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(linebreaks(escape(body)), "text/html")
    for document in documents:
        message.attach(document.filename, document.content, "application/pdf")
    return message


def send_convention_kit(*, authorities, actor: Actor, today: date | None = None) -> list[KitDispatch]:
    """E-mail each member's kit to its administrators, one message per person (addresses stay private).

    A member without an administrator is reported, not an error for the others.
    """
    results = []
    for authority in authorities:
        dispatch = KitDispatch(authority)
        results.append(dispatch)
        recipients = kit_recipients(authority)
        if not recipients:
            dispatch.error = "aucun administrateur actif avec une adresse électronique"
            continue
        documents = build_kit(authority, today=today)
        messages = [_message(authority, to, today, documents) for to in recipients]
        try:
            mailers.default.send_messages(messages)
        except OSError as exc:
            logger.warning("Convention kit for %s not sent: %s", authority.siren, exc)
            dispatch.error = "le serveur de messagerie a refusé l'envoi ; réessayez plus tard"
            continue
        dispatch.recipients = recipients
        with transaction.atomic():
            record(
                actor=actor,
                action="backoffice.kit.send",
                authority=authority,
                obj=authority,
                details={"recipients": recipients, "documents": [d.filename for d in documents]},
            )
    return results
