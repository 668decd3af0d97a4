"""Members ask for help in writing; the thread goes back and forth with the operator's staff.

Status: a staff reply takes a new request "en cours"; a member's reply reopens a resolved one;
staff set any status by hand. Each change has its history row and journal entry, and the other
side is told by e-mail once the change is committed.
"""

from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import record
from bouquet.support.choices import RequestStatus, Theme
from bouquet.support.errors import RuleError
from bouquet.support.models import AssistanceRequest, RequestEvent, RequestMessage
from bouquet.support.notifications import after_commit, authority_contacts, staff_addresses
from bouquet.support.services.common import actor, require_staff, require_writer

__all__ = ["change_request_status", "open_request", "reply_to_request"]

MAX_BODY = 10_000
MAX_SUBJECT = 200


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise RuleError("Le message est vide.")
    if len(body) > MAX_BODY:
        raise RuleError(f"Le message dépasse {MAX_BODY} caractères : raccourcissez-le ou envoyez-en deux.")
    return body


def _set_status(request: AssistanceRequest, status: str, user) -> None:
    before = request.status
    request.status = status
    request.save(update_fields=["status", "last_activity_at"])
    who = actor(user)
    RequestEvent.objects.create(request=request, status=status, actor_label=who.label)
    record(
        actor=who,
        action="support.request.status",
        authority=request.authority,
        obj=request,
        details={"from": before, "to": status},
    )


def open_request(*, authority, user, theme: str, subject: str, body: str) -> AssistanceRequest:
    """:raises RightsError: read-only or not a member. :raises RuleError: empty or too long, bad theme."""
    require_writer(user, authority)
    subject = (subject or "").strip()
    if not subject or len(subject) > MAX_SUBJECT:
        raise RuleError(f"Donnez un objet de 1 à {MAX_SUBJECT} caractères.")
    if theme not in Theme.values:
        raise RuleError("Choisissez un thème de la liste.")
    body = _check_body(body)
    with transaction.atomic():
        request = AssistanceRequest.objects.create(
            authority=authority, author=user, theme=theme, subject=subject
        )
        RequestMessage.objects.create(request=request, author=user, body=body)
        who = actor(user)
        RequestEvent.objects.create(request=request, status=request.status, actor_label=who.label)
        record(
            actor=who,
            action="support.request.open",
            authority=authority,
            obj=request,
            details={"subject": subject, "theme": theme},
        )
        after_commit(
            "request_new", lambda: staff_addresses(authority.operator), {"request": request, "body": body}
        )
    return request


def reply_to_request(*, request: AssistanceRequest, user, body: str, from_staff: bool) -> RequestMessage:
    """Add a message to the thread and tell the other side.

    :raises RightsError: a member who may not act for the authority, or a non-staff "staff" reply.
    """
    if from_staff:
        require_staff(user, request.authority.operator)
    else:
        require_writer(user, request.authority)
    body = _check_body(body)
    with transaction.atomic():
        request = (
            AssistanceRequest.objects.select_for_update(of=("self",))
            .select_related("authority", "author")
            .get(pk=request.pk)
        )
        message = RequestMessage.objects.create(
            request=request, author=user, body=body, from_staff=from_staff
        )
        request.last_activity_at = message.created_at
        request.save(update_fields=["last_activity_at"])
        record(
            actor=actor(user),
            action="support.request.reply",
            authority=request.authority,
            obj=request,
            details={"message": message.pk, "from_staff": from_staff},
        )
        if from_staff and request.status == RequestStatus.NEW:
            _set_status(request, RequestStatus.IN_PROGRESS, user)
        elif not from_staff and request.status == RequestStatus.RESOLVED:
            _set_status(request, RequestStatus.IN_PROGRESS, user)
        context = {"request": request, "message": message}
        if from_staff:
            after_commit(
                "request_reply_member", lambda: authority_contacts(request.authority, request.author), context
            )
        else:
            after_commit("request_reply_staff", lambda: staff_addresses(request.authority.operator), context)
    return message


def change_request_status(*, request: AssistanceRequest, user, status: str) -> AssistanceRequest:
    """Staff set the status; the member is told when the request is resolved.

    :raises RuleError: unknown status, or the request already has it.
    """
    require_staff(user, request.authority.operator)
    if status not in RequestStatus.values:
        raise RuleError("État inconnu.")
    with transaction.atomic():
        request = (
            AssistanceRequest.objects.select_for_update(of=("self",))
            .select_related("authority", "author")
            .get(pk=request.pk)
        )
        if request.status == status:
            raise RuleError(f"La demande est déjà « {request.get_status_display().lower()} ».")
        request.last_activity_at = timezone.now()
        _set_status(request, status, user)
        if status == RequestStatus.RESOLVED:
            after_commit(
                "request_resolved",
                lambda: authority_contacts(request.authority, request.author),
                {"request": request},
            )
    return request
