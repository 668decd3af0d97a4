"""Members' training pages: the year's planning, a session, registering, cancelling, the invitation.

Sessions belong to the operator (every member sees the planning); registrations are the
authority's own: a page shows only those of the current authority, and a registration is fetched
through ``get_for_user`` (404 for another authority's).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bouquet.core.access import get_for_user
from bouquet.support.choices import RegistrationStatus
from bouquet.support.errors import SupportError
from bouquet.support.forms import RegistrationForm, YearForm
from bouquet.support.invitations import ICS_MIMETYPE, session_calendar
from bouquet.support.models import Registration, TrainingSession
from bouquet.support.services.registrations import cancel_registration, register_participant, waiting_position
from bouquet.support.views.common import (
    by_month,
    can_act,
    member_view,
    report,
    require_can_act,
    with_seat_counts,
    year_bounds,
)


def _sessions(request: HttpRequest):
    return TrainingSession.objects.filter(operator_id=request.authority.operator_id)


def _get_session(request: HttpRequest, pk: int) -> TrainingSession:
    session = with_seat_counts(_sessions(request)).filter(pk=pk).select_related("operator").first()
    if session is None:
        raise Http404
    return session


def _ours(request: HttpRequest, sessions) -> dict[int, list[Registration]]:
    """The current authority's active registrations, by session."""
    rows = (
        Registration.objects.for_tenant(request.authority)
        .filter(session__in=sessions, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING])
        .select_related("participant")
    )
    ours: dict[int, list[Registration]] = {}
    for registration in rows:
        ours.setdefault(registration.session_id, []).append(registration)
    return ours


@member_view
@require_GET
def planning(request: HttpRequest) -> HttpResponse:
    year = YearForm(request.GET).year()
    start, end = year_bounds(year)
    sessions = list(with_seat_counts(_sessions(request).filter(starts_at__gte=start, starts_at__lt=end)))
    ours = _ours(request, sessions)
    for session in sessions:
        session.ours = ours.get(session.pk, [])
    context = {
        "year": year,
        "months": by_month(sessions, year),
        "count": len(sessions),
        "now": timezone.now(),
    }
    return render(request, "support/planning.html", context)


@member_view
@require_GET
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    return render(request, "support/training.html", _detail_context(request, session))


def _detail_context(request: HttpRequest, session: TrainingSession, form=None) -> dict:
    ours = _ours(request, [session]).get(session.pk, [])
    for registration in ours:
        registration.position = waiting_position(registration)
    if form is None and can_act(request):
        form = RegistrationForm(authority=request.authority, user=request.user)
    return {
        "session": session,
        "free": max(session.capacity - session.confirmed, 0),
        "ours": ours,
        "form": form if session.is_open_for_registration else None,
        "can_act": can_act(request),
    }


@member_view
@require_POST
def training_register(request: HttpRequest, pk: int) -> HttpResponse:
    require_can_act(request)
    session = _get_session(request, pk)
    form = RegistrationForm(request.POST, authority=request.authority, user=request.user)
    if not form.is_valid():
        return render(request, "support/training.html", _detail_context(request, session, form), status=400)
    participant = form.cleaned_data["membership"].user
    try:
        registration = register_participant(
            session=session, authority=request.authority, participant=participant, user=request.user
        )
    except SupportError as error:
        report(request, error)
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, f"Inscription confirmée pour {participant.full_name}.")
        else:
            position = waiting_position(registration)
            messages.warning(
                request,
                f"La session est complète : {participant.full_name} est en liste d'attente "
                f"(position {position}). "
                "Un courriel le préviendra si une place se libère.",
            )
    return redirect("support:training_detail", pk=session.pk)


@member_view
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_for_user(request, Registration.objects.select_related("session", "participant"), pk=pk)
    try:
        cancel_registration(registration=registration, user=request.user)
    except SupportError as error:
        report(request, error)
    else:
        messages.success(request, f"L'inscription de {registration.participant.full_name} est annulée.")
    return redirect("support:training_detail", pk=registration.session_id)


@member_view
@require_GET
def registration_ics(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_for_user(
        request,
        Registration.objects.select_related("session__operator"),
        pk=pk,
        status=RegistrationStatus.CONFIRMED,
    )
    response = HttpResponse(session_calendar(registration.session), content_type=ICS_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="formation-{registration.session_id}.ics"'
    return response
