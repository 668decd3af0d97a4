"""The operator's assistance pages: home, FAQ editing, members' requests, the phone log."""

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.core.access import get_served, operator_view
from bouquet.core.models import Authority
from bouquet.support.choices import RequestStatus, ServiceStatus, Theme
from bouquet.support.errors import SupportError
from bouquet.support.forms import CallForm, FaqEntryForm, ReplyForm, StatusForm
from bouquet.support.models import AssistanceRequest, FaqEntry, OnDemandService, PhoneCall, TrainingSession
from bouquet.support.services.assistance_requests import change_request_status, reply_to_request
from bouquet.support.services.faq import save_faq_entry
from bouquet.support.services.phone_calls import log_phone_call
from bouquet.support.views.common import paginate, report, with_seat_counts


def _served_requests(request: HttpRequest):
    served = Authority.objects.served_by(request.user).values("pk")
    return AssistanceRequest.objects.filter(authority__in=served)


@operator_view
@require_GET
def operator_home(request: HttpRequest) -> HttpResponse:
    operator = request.staff.operator
    now = timezone.now()
    year_start = timezone.localtime(now).replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    served = Authority.objects.served_by(request.user).values("pk")
    calls = PhoneCall.objects.filter(authority__in=served, called_at__gte=year_start).aggregate(
        n=Count("pk"), minutes=Sum("duration_minutes")
    )
    requests = _served_requests(request).aggregate(
        new=Count("pk", filter=Q(status=RequestStatus.NEW)),
        in_progress=Count("pk", filter=Q(status=RequestStatus.IN_PROGRESS)),
    )
    services = OnDemandService.objects.filter(operator=operator, status=ServiceStatus.PROPOSED).annotate(
        count=Count("interests", filter=Q(interests__withdrawn_at__isnull=True))
    )
    context = {
        "upcoming": with_seat_counts(
            TrainingSession.objects.filter(operator=operator, starts_at__gte=now).exclude(status="cancelled")
        )[:5],
        "requests": requests,
        "calls": calls,
        "year": year_start.year,
        "ready": [s for s in services if s.count >= s.threshold],
    }
    return render(request, "support/operator/home.html", context)


# --- FAQ -----------------------------------------------------------------------------------------


@operator_view
@require_GET
def operator_faq(request: HttpRequest) -> HttpResponse:
    entries = FaqEntry.objects.filter(operator=request.staff.operator).select_related("updated_by")
    groups = [
        {"label": label, "entries": [e for e in entries if e.theme == code]} for code, label in Theme.choices
    ]
    return render(request, "support/operator/faq.html", {"groups": groups})


def _faq_form(request: HttpRequest, entry: FaqEntry | None) -> HttpResponse:
    initial = None
    if entry is not None:
        fields = ("theme", "question", "answer", "position", "is_published")
        initial = {name: getattr(entry, name) for name in fields}
    form = FaqEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = save_faq_entry(
                operator=request.staff.operator, user=request.user, data=form.data_object(), entry=entry
            )
        except SupportError as error:
            report(request, error)
        else:
            messages.success(request, "La question est enregistrée.")
            return redirect("support:operator_faq")
    status = 400 if request.method == "POST" else 200
    return render(request, "support/operator/faq_form.html", {"form": form, "entry": entry}, status=status)


@operator_view
@require_http_methods(["GET", "POST"])
def operator_faq_new(request: HttpRequest) -> HttpResponse:
    return _faq_form(request, None)


@operator_view
@require_http_methods(["GET", "POST"])
def operator_faq_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = FaqEntry.objects.filter(operator=request.staff.operator, pk=pk).first()
    if entry is None:
        raise Http404
    return _faq_form(request, entry)


# --- Requests ------------------------------------------------------------------------------------


@operator_view
@require_GET
def operator_requests(request: HttpRequest) -> HttpResponse:
    requests = _served_requests(request).select_related("authority", "author")
    status = request.GET.get("etat", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    context = {"page": paginate(request, requests), "statuses": RequestStatus.choices, "status": status}
    return render(request, "support/operator/requests.html", context)


def _request_page(request: HttpRequest, assistance, reply_form=None, status: int = 200) -> HttpResponse:
    context = {
        "assistance": assistance,
        "thread": assistance.messages.select_related("author"),
        "events": assistance.events.all(),
        "calls": assistance.calls.all(),
        "reply_form": reply_form or ReplyForm(),
        "status_form": StatusForm(initial={"status": assistance.status}),
    }
    return render(request, "support/operator/request.html", context, status=status)


def _get_request(request: HttpRequest, pk: int) -> AssistanceRequest:
    return get_served(
        request, AssistanceRequest.objects.select_related("authority__operator", "author"), pk=pk
    )


@operator_view
@require_GET
def operator_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, _get_request(request, pk))


@operator_view
@require_POST
def operator_request_reply(request: HttpRequest, pk: int) -> HttpResponse:
    assistance = _get_request(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _request_page(request, assistance, form, status=400)
    try:
        reply_to_request(
            request=assistance, user=request.user, body=form.cleaned_data["body"], from_staff=True
        )
    except SupportError as error:
        report(request, error)
    else:
        messages.success(request, "Votre réponse est envoyée à la collectivité.")
    return redirect("support:operator_request_detail", pk=assistance.pk)


@operator_view
@require_POST
def operator_request_status(request: HttpRequest, pk: int) -> HttpResponse:
    assistance = _get_request(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un état dans la liste.")
        return redirect("support:operator_request_detail", pk=assistance.pk)
    try:
        change_request_status(request=assistance, user=request.user, status=form.cleaned_data["status"])
    except SupportError as error:
        report(request, error)
    else:
        messages.success(request, "L'état de la demande est changé.")
    return redirect("support:operator_request_detail", pk=assistance.pk)


# --- Phone log -----------------------------------------------------------------------------------


@operator_view
@require_http_methods(["GET", "POST"])
def operator_calls(request: HttpRequest) -> HttpResponse:
    served = Authority.objects.served_by(request.user)
    form = CallForm(request.POST or None, served=served)
    if request.method == "POST" and form.is_valid():
        try:
            log_phone_call(
                authority=form.cleaned_data["authority"], user=request.user, data=form.data_object()
            )
        except SupportError as error:
            report(request, error)
        else:
            messages.success(request, "L'appel est noté.")
            return redirect("support:operator_calls")
    calls = PhoneCall.objects.filter(authority__in=served.values("pk")).select_related(
        "authority", "recorded_by"
    )
    context = {"form": form, "page": paginate(request, calls)}
    return render(request, "support/operator/calls.html", context, status=400 if form.errors else 200)
