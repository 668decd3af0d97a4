"""The member's PES flows: the list, one transaction's page, its downloads, and sending a CS deposit."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from bouquet.core.access import get_for_user
from bouquet.core.choices import ModuleCode
from bouquet.helios.choices import Status
from bouquet.helios.errors import HeliosRefusal, HeliosServiceError, RightsError
from bouquet.helios.forms import TransactionFilterForm, UploadForm
from bouquet.helios.models import Acquit, AcquitElement, Retour, Transaction
from bouquet.helios.services import cancel_transaction, post_transaction, submit_signed_file
from bouquet.helios.views.common import (
    NO_TT,
    actor_of,
    attachment,
    day_start,
    helios_view,
    keyset_page,
    require_helios,
    rights_in,
)
from bouquet.helios.views.preflight import common_name
from bouquet.pki.client_views import SESSION_KEY as CERTIFICATE_SESSION_KEY
from bouquet.web.modules import DESCRIPTIONS, rights_sentence


def filter_transactions(queryset, data: dict):
    """Apply the list filters; each is an equality or a range on an indexed column."""
    if data.get("status") is not None:
        queryset = queryset.filter(status=data["status"])
    if data.get("nom_fic"):
        queryset = queryset.filter(nom_fic=data["nom_fic"].strip())
    if data.get("since"):
        queryset = queryset.filter(created_at__gte=day_start(data["since"]))
    if data.get("until"):
        queryset = queryset.filter(created_at__lt=day_start(data["until"] + timedelta(days=1)))
    return queryset


def get_transaction(request: HttpRequest, pk: int, write: bool = False) -> Transaction:
    """The transaction if it belongs to one of the user's authorities (404), with the HELIOS right (403)."""
    transaction = get_for_user(request, Transaction.objects.select_related("authority", "created_by"), pk=pk)
    require_helios(request, transaction.authority, write=write)
    return transaction


@helios_view
@require_GET
def transaction_list(request: HttpRequest) -> HttpResponse:
    form = TransactionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    mine = Transaction.objects.for_tenant(request.authority)
    page = keyset_page(request, filter_transactions(mine, data), "created_at")
    context = {
        "form": form,
        "page": page,
        "filtered": any(value not in (None, "") for value in data.values()),
        "can_prepare": request.helios_rights.can_prepare,
        "can_transmit": request.helios_rights.can_transmit,
        "description": DESCRIPTIONS[ModuleCode.HELIOS],
        "rights": rights_sentence(request.helios_right),
        "unread_retours": Retour.objects.for_tenant(request.authority).unread().count(),
        "waiting_tt": mine.filter(status=Status.EN_ATTENTE_TELETRANSMISSION).count(),
    }
    return render(request, "helios/list.html", context)


def acquits_of(transaction: Transaction) -> list[Acquit]:
    elements = Prefetch("elements", queryset=AcquitElement.objects.order_by("position", "id"))
    return list(transaction.acquits.prefetch_related(elements).order_by("-received_at", "-id"))


def _moment(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def intake_summary(report: dict) -> dict | None:
    """What the intake recorded (``Transaction.intake_report``): its remarks and the signatures found."""
    if not isinstance(report, dict) or not report:
        return None
    remarks = [i for i in report.get("items", []) if isinstance(i, dict) and i.get("severity") != "error"]
    signatures = [
        {**s, "signer_name": common_name(s.get("signer")), "at": _moment(s.get("signing_time"))}
        for s in report.get("signatures", [])
        if isinstance(s, dict)
    ]
    schema = report.get("schema") or {}
    return {"remarks": remarks, "signatures": signatures, "schema": schema}


CANCELLABLE = (Status.EN_ATTENTE_SIGNATURE, Status.EN_ATTENTE_TELETRANSMISSION, Status.POSTE)


def detail_context(request: HttpRequest, transaction: Transaction, *, operator: bool = False) -> dict:
    """Everything the transaction page shows; the operator's read-only view offers no action."""
    rights = None if operator else rights_in(request, transaction.authority)
    return {
        "transaction": transaction,
        "history": transaction.history.order_by("at", "id"),
        "acquits": acquits_of(transaction),
        "intake": intake_summary(transaction.intake_report),
        "teletransmission": bool(
            rights and rights.can_transmit and transaction.status == Status.EN_ATTENTE_TELETRANSMISSION
        ),
        "can_cancel": bool(rights and rights.can_prepare and transaction.status in CANCELLABLE),
        "sign_form": (
            UploadForm(auto_id="signed_%s")
            if rights and rights.can_prepare and transaction.status == Status.EN_ATTENTE_SIGNATURE
            else None
        ),
        "operator": operator,
    }


@login_required
@require_GET
def transaction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transaction = get_transaction(request, pk)
    return render(request, "helios/detail.html", detail_context(request, transaction))


@login_required
@require_GET
def download_pes(request: HttpRequest, pk: int) -> HttpResponse:
    """The PES exactly as received (the bytes sent to the DGFiP: same SHA-256)."""
    transaction = get_transaction(request, pk)
    return attachment(transaction.file.read(), transaction.filename or f"{transaction.nom_fic}.xml")


@login_required
@require_GET
def download_acquit(request: HttpRequest, pk: int, acquit_id: int) -> HttpResponse:
    transaction = get_transaction(request, pk)
    acquit = transaction.acquits.filter(pk=acquit_id).first()
    if acquit is None:
        raise Http404
    return attachment(acquit.read(), acquit.filename or f"ACQUIT_{transaction.nom_fic}.xml")


@login_required
@require_POST
def transmit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a file deposited by a CS agent (14 → 1): TT right in the transaction's authority."""
    transaction = get_transaction(request, pk, write=True)
    if not rights_in(request, transaction.authority).can_transmit:
        raise PermissionDenied(NO_TT)
    certificate = request.session.get(CERTIFICATE_SESSION_KEY)
    level = certificate.get("rgs_level", "") if isinstance(certificate, dict) else None
    try:
        post_transaction(transaction=transaction, actor=actor_of(request), rgs_level=level)
    except RightsError as exc:
        raise PermissionDenied(exc.message) from None
    except HeliosServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Le flux est posté : il part vers la DGFiP dans quelques minutes.")
    return redirect("helios:detail", pk=transaction.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a deposit that has not left yet (13, 14 or 1 → 0): CS right."""
    transaction = get_transaction(request, pk, write=True)
    try:
        cancel_transaction(transaction=transaction, actor=actor_of(request))
    except RightsError as exc:
        raise PermissionDenied(exc.message) from None
    except HeliosServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Le dépôt est annulé : le fichier ne sera pas envoyé à la DGFiP.")
    return redirect("helios:detail", pk=transaction.pk)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the signed version of a file waiting for its signature (13 → 1): CS right."""
    transaction = get_transaction(request, pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("helios:detail", pk=transaction.pk)
    upload = form.cleaned_data["fichier"]
    try:
        submit_signed_file(
            transaction=transaction, actor=actor_of(request), filename=upload.name, data=upload
        )
    except RightsError as exc:
        raise PermissionDenied(exc.message) from None
    except HeliosRefusal as exc:
        messages.error(request, "Fichier signé refusé : " + " ".join(str(i) for i in exc.items))
    except HeliosServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Le fichier signé est enregistré : il part vers la DGFiP dans quelques minutes."
        )
    return redirect("helios:detail", pk=transaction.pk)
