"""The operator's HELIOS pages: every member's flows, the stuck ones, unassigned retours, windows.

Members reach none of them (403). Lists span the authorities the staff member's operator serves;
opening one member's transaction goes through ``core.access.get_served``, which journals it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.core.access import get_served, operator_view
from bouquet.core.choices import OperatorRole
from bouquet.core.models import Authority
from bouquet.helios import workflow
from bouquet.helios.choices import DocumentKind, IncomingKind, IncomingState, SendState, Status
from bouquet.helios.errors import HeliosServiceError, RightsError
from bouquet.helios.forms import AssignRetourForm, OperatorTransactionFilterForm
from bouquet.helios.models import IncomingFile, Transaction
from bouquet.helios.services import assign_retour, rollback, set_error
from bouquet.helios.views.common import PAGE_SIZE, actor_of, keyset_page
from bouquet.helios.views.transactions import detail_context, filter_transactions
from bouquet.helios.views.windows import window_report


def _served(request: HttpRequest):
    return Authority.objects.served_by(request.user).values("pk")


def _served_transactions(request: HttpRequest):
    # authority IN (served authorities): no join, so the (-created_at, -id) index is read in order.
    return Transaction.objects.filter(authority__in=_served(request))


@operator_view
@require_GET
def operator_list(request: HttpRequest) -> HttpResponse:
    form = OperatorTransactionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = filter_transactions(_served_transactions(request), data)
    if text := (data.get("authority") or "").strip():
        match = Q(name__icontains=text) | Q(siren=text.replace(" ", ""))
        queryset = queryset.filter(authority__in=Authority.objects.filter(match).values("pk"))
    page = keyset_page(request, queryset.select_related("authority"), "created_at")
    context = {
        "form": form,
        "page": page,
        "filtered": any(value not in (None, "") for value in data.values()),
        "counts": _counts(request),
    }
    return render(request, "helios/operator/list.html", context)


def _counts(request: HttpRequest) -> dict[str, int]:
    return {
        "stuck": stuck_queryset(request).count(),
        "unassigned": _unassigned(request).count(),
    }


def stuck_queryset(request: HttpRequest, now=None):
    """Transmitted without acquittement (24, or 3 for more than a day), waiting to be sent too long (2)."""
    now = now or timezone.now()
    no_ack = Q(status=Status.TRANSMIS_SANS_ACQUITTEMENT, kind=DocumentKind.PES_ALLER) | Q(
        status=Status.TRANSMIS, last_status_at__lt=now - timedelta(hours=24)
    )
    not_sent = Q(
        status=Status.EN_ATTENTE_TRANSMISSION,
        last_status_at__lt=now - timedelta(hours=settings.HELIOS_STUCK_ALERT_HOURS),
    ) | Q(status=Status.EN_ATTENTE_TRANSMISSION, send_state=SendState.FAILED)
    return (
        _served_transactions(request)
        .filter(no_ack | not_sent)
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
        "stale_hours": settings.HELIOS_STALE_AFTER_HOURS,
        "stuck_hours": settings.HELIOS_STUCK_ALERT_HOURS,
    }
    return render(request, "helios/operator/stuck.html", context)


def _unassigned(request: HttpRequest):
    """Retours no member could be found for (their SIRET is in nobody's table), or of a served member."""
    return IncomingFile.objects.filter(kind=IncomingKind.RETOUR, state=IncomingState.UNASSIGNED).filter(
        Q(authority__isnull=True) | Q(authority__in=_served(request))
    )


@operator_view
@require_GET
def unassigned_retours(request: HttpRequest) -> HttpResponse:
    queue = _unassigned(request).order_by("-received_at", "-id")
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    authorities = Authority.objects.served_by(request.user).order_by("name")
    rows = [
        (incoming, AssignRetourForm(authorities=authorities, prefix=f"r{incoming.pk}")) for incoming in page
    ]
    context = {"page": page, "rows": rows}
    return render(request, "helios/operator/retours.html", context)


@operator_view
@require_http_methods(["POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    incoming = _unassigned(request).filter(pk=pk).first()
    if incoming is None:
        raise Http404
    authorities = Authority.objects.served_by(request.user)
    form = AssignRetourForm(request.POST, authorities=authorities, prefix=f"r{incoming.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("helios:operator_retours")
    authority = form.cleaned_data["authority"]
    try:
        assign_retour(
            incoming=incoming,
            authority=authority,
            remember_siret=form.cleaned_data["remember_siret"],
            actor=actor_of(request),
        )
    except HeliosServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Le retour {incoming.name} est remis à {authority.name}.")
    return redirect("helios:operator_retours")


@operator_view
@require_GET
def windows(request: HttpRequest) -> HttpResponse:
    return render(request, "helios/operator/windows.html", window_report(request))


@operator_view
@require_GET
def operator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transaction = get_served(request, Transaction.objects.select_related("authority", "created_by"), pk=pk)
    context = detail_context(request, transaction, operator=True)
    is_admin = request.staff.role == OperatorRole.ADMIN
    context["can_set_error"] = (
        is_admin and transaction.status in workflow.TABLE[workflow.Event.SET_ERROR].sources
    )
    context["can_rollback"] = is_admin and transaction.status == Status.ERREUR
    return render(request, "helios/detail.html", context)


@operator_view
@require_POST
def operator_set_error(request: HttpRequest, pk: int) -> HttpResponse:
    """S²LOW's "set error": a stuck transaction goes to -1 with the reason given (administrators)."""
    transaction = get_served(request, Transaction.objects.select_related("authority"), pk=pk)
    reason = request.POST.get("reason", "")[:400]
    return _correct(
        request, transaction, lambda actor: set_error(transaction=transaction, actor=actor, reason=reason)
    )


@operator_view
@require_POST
def operator_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    """S²LOW's "rollback": a transaction in error is checked and sent again (administrators)."""
    transaction = get_served(request, Transaction.objects.select_related("authority"), pk=pk)
    return _correct(request, transaction, lambda actor: rollback(transaction=transaction, actor=actor))


def _correct(request: HttpRequest, transaction: Transaction, action) -> HttpResponse:
    try:
        action(actor_of(request))
    except RightsError as exc:
        raise PermissionDenied(exc.message) from None
    except HeliosServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Nouvel état : {transaction.get_status_display()}.")
    return redirect("helios:operator_detail", pk=transaction.pk)
