"""Members' help pages: the support home, the FAQ and its search, written assistance requests."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.core.access import get_for_user
from bouquet.support.choices import RegistrationStatus, RequestStatus, Theme
from bouquet.support.errors import SupportError
from bouquet.support.forms import FaqSearchForm, ReplyForm, RequestForm
from bouquet.support.models import AssistanceRequest, FaqEntry, Registration, TrainingSession
from bouquet.support.services.assistance_requests import open_request, reply_to_request
from bouquet.support.services.faq import search_faq
from bouquet.support.views.common import (
    can_act,
    member_view,
    paginate,
    report,
    require_can_act,
    with_seat_counts,
)


def home(request: HttpRequest) -> HttpResponse:
    """Staff without a member account land on their own pages."""
    if request.user.is_authenticated and request.authority is None and request.user.is_operator_staff:
        return redirect("support:operator_home")
    return _member_home(request)


@member_view
@require_GET
def _member_home(request: HttpRequest) -> HttpResponse:
    authority = request.authority
    upcoming = with_seat_counts(
        TrainingSession.objects.filter(operator_id=authority.operator_id, starts_at__gte=timezone.now())
    ).exclude(status="cancelled")[:4]
    registrations = (
        Registration.objects.for_tenant(authority)
        .filter(session__starts_at__gte=timezone.now())
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("session", "participant")
        .order_by("session__starts_at")[:10]
    )
    open_requests = AssistanceRequest.objects.for_tenant(authority).exclude(status=RequestStatus.RESOLVED)[:5]
    context = {
        "upcoming": upcoming,
        "registrations": registrations,
        "open_requests": open_requests,
        "search_form": FaqSearchForm(),
        "themes": Theme.choices,
        "can_act": can_act(request),
    }
    return render(request, "support/home.html", context)


@member_view
@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    form = FaqSearchForm(request.GET)
    entries = FaqEntry.objects.filter(operator_id=request.authority.operator_id, is_published=True)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        entries = search_faq(entries, query)
    theme = request.GET.get("theme", "")
    if theme in Theme.values:
        entries = entries.filter(theme=theme)
    entries = list(entries)
    groups = [
        {"code": code, "label": label, "entries": [e for e in entries if e.theme == code]}
        for code, label in Theme.choices
    ]
    context = {
        "form": form,
        "query": query,
        "groups": [g for g in groups if g["entries"]],
        "count": len(entries),
        "themes": Theme.choices,
        "theme": theme,
        "can_act": can_act(request),
    }
    return render(request, "support/faq.html", context)


@member_view
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    requests = AssistanceRequest.objects.for_tenant(request.authority).select_related("author")
    status = request.GET.get("etat", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    context = {
        "page": paginate(request, requests),
        "statuses": RequestStatus.choices,
        "status": status,
        "can_act": can_act(request),
    }
    return render(request, "support/requests.html", context)


@member_view
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    require_can_act(request)
    form = RequestForm(request.POST or None, initial={"theme": request.GET.get("theme")})
    if request.method == "POST" and form.is_valid():
        try:
            created = open_request(authority=request.authority, user=request.user, **form.cleaned_data)
        except SupportError as error:
            report(request, error)
        else:
            messages.success(
                request,
                "Votre demande est envoyée à l'équipe de l'opérateur. "
                "Vous serez prévenu par courriel de sa réponse.",
            )
            return redirect("support:request_detail", pk=created.pk)
    return render(request, "support/request_new.html", {"form": form}, status=400 if form.errors else 200)


def _detail(
    request: HttpRequest, assistance: AssistanceRequest, form=None, status: int = 200
) -> HttpResponse:
    context = {
        "assistance": assistance,
        "thread": assistance.messages.select_related("author"),
        "events": assistance.events.all(),
        "form": form or (ReplyForm() if can_act(request) else None),
    }
    return render(request, "support/request_detail.html", context, status=status)


@member_view
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assistance = get_for_user(request, AssistanceRequest.objects.select_related("authority", "author"), pk=pk)
    return _detail(request, assistance)


@member_view
@require_POST
def request_reply(request: HttpRequest, pk: int) -> HttpResponse:
    assistance = get_for_user(request, AssistanceRequest.objects.select_related("authority", "author"), pk=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail(request, assistance, form, status=400)
    try:
        reply_to_request(
            request=assistance, user=request.user, body=form.cleaned_data["body"], from_staff=False
        )
    except SupportError as error:
        report(request, error)
    else:
        messages.success(request, "Votre réponse est envoyée.")
    return redirect("support:request_detail", pk=assistance.pk)
