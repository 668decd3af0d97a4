"""The operator's training pages: planning, a session's registrations and attendance, scheduling.

Members get 403 here (``operator_view``). Sessions are the staff member's operator's; a member's
registration is reached through ``get_served`` (journaled).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.core.access import get_served, operator_view
from bouquet.support.choices import Attendance, RegistrationStatus
from bouquet.support.errors import SupportError
from bouquet.support.forms import SessionForm, YearForm
from bouquet.support.models import Registration, TrainingSession
from bouquet.support.services.common import slot_policy
from bouquet.support.services.record_attendance import record_attendance
from bouquet.support.services.registrations import cancel_registration, waiting_position
from bouquet.support.services.schedule_session import cancel_session, create_session, update_session
from bouquet.support.views.common import by_month, report, with_seat_counts, year_bounds


def _sessions(request: HttpRequest):
    return TrainingSession.objects.filter(operator=request.staff.operator)


def _get_session(request: HttpRequest, pk: int) -> TrainingSession:
    session = with_seat_counts(_sessions(request)).filter(pk=pk).select_related("operator").first()
    if session is None:
        raise Http404
    return session


@operator_view
@require_GET
def operator_planning(request: HttpRequest) -> HttpResponse:
    year = YearForm(request.GET).year()
    start, end = year_bounds(year)
    sessions = list(with_seat_counts(_sessions(request).filter(starts_at__gte=start, starts_at__lt=end)))
    context = {
        "year": year,
        "months": by_month(sessions, year),
        "count": len(sessions),
        "seats": sum(s.confirmed for s in sessions if not s.is_cancelled),
        "usual": slot_policy().describe(),
    }
    return render(request, "support/operator/planning.html", context)


@operator_view
@require_http_methods(["GET", "POST"])
def operator_training_new(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = create_session(
                operator=request.staff.operator,
                user=request.user,
                data=form.data_object(),
                confirm_unusual_slot=form.cleaned_data["confirm_unusual_slot"],
            )
        except SupportError as error:
            report(request, error)
        else:
            messages.success(request, "La session est programmée.")
            return redirect("support:operator_training_detail", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "support/operator/session_form.html",
        {"form": form, "usual": slot_policy().describe()},
        status=status,
    )


@operator_view
@require_http_methods(["GET", "POST"])
def operator_training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            update_session(
                session=session,
                user=request.user,
                data=form.data_object(),
                confirm_unusual_slot=form.cleaned_data["confirm_unusual_slot"],
            )
        except SupportError as error:
            report(request, error)
        else:
            messages.success(request, "La session est modifiée.")
            return redirect("support:operator_training_detail", pk=session.pk)
    context = {"form": form, "session": session, "usual": slot_policy().describe()}
    return render(
        request,
        "support/operator/session_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@operator_view
@require_GET
def operator_training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    registrations = list(
        session.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("authority", "participant", "registered_by")
        .order_by("status", "created_at", "id")
    )
    for registration in registrations:
        registration.position = waiting_position(registration)
    context = {
        "session": session,
        "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
        "waiting": sorted(
            (r for r in registrations if r.status == RegistrationStatus.WAITING), key=lambda r: r.position
        ),
        "attendance_choices": Attendance.choices,
        "started": session.starts_at <= timezone.now(),
    }
    return render(request, "support/operator/session.html", context)


@operator_view
@require_POST
def operator_training_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    marks = {}
    for key, value in request.POST.items():
        if key.startswith("attendance-"):
            try:
                marks[int(key.removeprefix("attendance-"))] = value
            except ValueError:
                messages.error(request, "Formulaire de présence invalide ; rien n'a été enregistré.")
                return redirect("support:operator_training_detail", pk=session.pk)
    try:
        changed = record_attendance(session=session, user=request.user, marks=marks)
    except SupportError as error:
        report(request, error)
    else:
        messages.success(
            request, f"Présences enregistrées ({changed} modification{'s' if changed > 1 else ''})."
        )
    return redirect("support:operator_training_detail", pk=session.pk)


@operator_view
@require_POST
def operator_training_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    try:
        cancel_session(session=session, user=request.user)
    except SupportError as error:
        report(request, error)
    else:
        messages.success(request, "La session est annulée ; les participants sont prévenus par courriel.")
    return redirect("support:operator_training_detail", pk=session.pk)


@operator_view
@require_POST
def operator_registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_served(
        request, Registration.objects.select_related("session__operator", "participant"), pk=pk
    )
    try:
        cancel_registration(registration=registration, user=request.user, by_staff=True)
    except SupportError as error:
        report(request, error)
    else:
        messages.success(request, f"L'inscription de {registration.participant.full_name} est annulée.")
    return redirect("support:operator_training_detail", pk=registration.session_id)
