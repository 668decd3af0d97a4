"""The operator's ACTES pages: every member's transactions, the stuck ones, the error queue of mails.

Members reach none of them (403). Lists span the authorities the staff member's operator serves;
opening one member's transaction goes through ``core.access.get_served``, which journals it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bouquet.actes.choices import InboundState, Status
from bouquet.actes.errors import ActesServiceError
from bouquet.actes.forms import OperatorFilterForm
from bouquet.actes.models import InboundMessage, Transaction
from bouquet.actes.services.retry_inbound_message import retry_inbound_message
from bouquet.actes.views.common import PAGE_SIZE, filter_transactions, keyset_page
from bouquet.actes.views.transactions import detail_context
from bouquet.core.access import get_served, operator_view
from bouquet.core.audit import Actor
from bouquet.core.models import Authority

POSTED = (Status.POSTE, Status.EN_ATTENTE_TRANSMISSION)


def _served_transactions(request: HttpRequest):
    # authority IN (served authorities): no join to the staff table, hence no DISTINCT that would
    # stop the database from reading the (-created_at, -id) index in order.
    served = Authority.objects.served_by(request.user).values("pk")
    return Transaction.objects.filter(authority__in=served)


@operator_view
@require_GET
def operator_list(request: HttpRequest) -> HttpResponse:
    form = OperatorFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = filter_transactions(_served_transactions(request), data)
    if text := data.get("authority", "").strip():
        match = Q(name__icontains=text) | Q(siren=text.replace(" ", ""))
        queryset = queryset.filter(authority__in=Authority.objects.filter(match).values("pk"))
    page = keyset_page(request, queryset.select_related("authority"))
    filtered = any(value not in (None, "") for value in data.values())
    return render(request, "actes/operator/list.html", {"form": form, "page": page, "filtered": filtered})


def stuck_queryset(request: HttpRequest, now=None):
    """Posted but not sent after ``ACTES_STALE_SEND_MINUTES``; transmitted without AR after
    ``ACTES_ACK_ALERT_HOURS`` (the (status, last_status_at) index answers both)."""
    now = now or timezone.now()
    not_sent = Q(
        status__in=POSTED, last_status_at__lt=now - timedelta(minutes=settings.ACTES_STALE_SEND_MINUTES)
    )
    no_ack = Q(
        status=Status.TRANSMIS, last_status_at__lt=now - timedelta(hours=settings.ACTES_ACK_ALERT_HOURS)
    )
    return (
        _served_transactions(request)
        .filter(not_sent | no_ack)
        .select_related("authority")
        .order_by("last_status_at", "id")
    )


@operator_view
@require_GET
def stuck(request: HttpRequest) -> HttpResponse:
    page = Paginator(stuck_queryset(request), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "now": timezone.now(),
        "send_minutes": settings.ACTES_STALE_SEND_MINUTES,
        "ack_hours": settings.ACTES_ACK_ALERT_HOURS,
    }
    return render(request, "actes/operator/stuck.html", context)


def _error_queue(request: HttpRequest):
    """Mails in error: those of served members, and those matched to no authority at all."""
    served = Authority.objects.served_by(request.user).values("pk")
    return InboundMessage.objects.filter(state=InboundState.ERROR).filter(
        Q(authority__isnull=True) | Q(authority__in=served)
    )


@operator_view
@require_GET
def errors(request: HttpRequest) -> HttpResponse:
    queue = _error_queue(request).select_related("authority").order_by("-received_at", "-id")
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "actes/operator/errors.html", {"page": page})


@operator_view
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    inbound = _error_queue(request).filter(pk=pk).first()
    if inbound is None:
        raise Http404
    try:
        result = retry_inbound_message(inbound=inbound, actor=Actor.of_user(request.user))
    except ActesServiceError as exc:
        messages.error(request, exc.message)
    else:
        if result.state == InboundState.ERROR:
            messages.warning(request, f"Le courriel est toujours en erreur : {result.message.reason}")
        else:
            messages.success(request, f"Courriel rejoué : {result.message.get_state_display().lower()}.")
    return redirect("actes:operator_errors")


@operator_view
@require_GET
def operator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transaction = get_served(request, Transaction.objects.select_related("authority", "related"), pk=pk)
    return render(request, "actes/detail.html", detail_context(request, transaction, operator=True))
