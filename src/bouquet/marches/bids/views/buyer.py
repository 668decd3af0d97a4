"""The buyer's pages: register of deposits, opening, opened files and their signatures, evidence
report, backup copies. Bidders' names appear only once the deadline has passed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.core.access import get_for_user
from bouquet.core.choices import Access
from bouquet.marches.bids import clock
from bouquet.marches.bids.choices import BackupOpenReason, DepositStatus
from bouquet.marches.bids.errors import BidsError, RightsError
from bouquet.marches.bids.models import BackupCopy, Deposit, DepositFile, Envelope
from bouquet.marches.bids.services import backups as backup_services
from bouquet.marches.bids.services.downloads import open_file_stream
from bouquet.marches.bids.services.evidence_report import evidence_report
from bouquet.marches.bids.services.opening import counting_deposits, open_bids
from bouquet.marches.bids.views.common import (
    actor_of,
    buyer_consultation,
    posted_datetime,
    posted_int,
    require_right,
)
from bouquet.marches.models import Consultation
from bouquet.marches.services.common import marches_access


def _redirect(consultation: Consultation) -> HttpResponse:
    return redirect("marches_bids:buyer_register", consultation.pk)


@login_required
@require_GET
def register(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = buyer_consultation(request, pk)
    now = clock.now()
    passed = consultation.deadline_passed(now)
    deposits = Deposit.objects.filter(consultation=consultation)
    context = {
        "consultation": consultation,
        "deadline_passed": passed,
        "received_count": deposits.received().filter(received_at__lte=now).count(),
        "can_write": marches_access(request.user, consultation.authority) == Access.WRITE,
    }
    if passed:
        counting = {d.pk for d in counting_deposits(consultation)}
        rows = list(
            deposits.select_related("company")
            .prefetch_related("envelopes__lot")
            .order_by("number", "started_at")
        )
        for row in rows:
            row.counts = row.pk in counting
        context |= {
            "deposits": [d for d in rows if d.status == DepositStatus.RECEIVED],
            "unfinished": [d for d in rows if d.status == DepositStatus.UPLOADING],
            "lots": list(consultation.lots.all()),
            "unopened": Envelope.objects.filter(deposit_id__in=counting, opened_at__isnull=True).exists(),
        }
    return render(request, "marches_bids/buyer/register.html", context)


@login_required
@require_POST
def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = buyer_consultation(request, pk, write=True)
    lot = None
    if request.POST.get("lot"):
        lot = consultation.lots.filter(number=posted_int(request, "lot")).first()
        if lot is None:
            messages.error(request, "Ce lot n'existe pas dans cette consultation.")
            return _redirect(consultation)
    try:
        opened = open_bids(consultation=consultation, actor=actor_of(request), lot=lot)
    except RightsError as exc:
        raise PermissionDenied(exc.message) from exc
    except BidsError as exc:
        messages.error(request, exc.message)
        return _redirect(consultation)
    messages.success(request, f"{len(opened)} enveloppe(s) ouverte(s).")
    return _redirect(consultation)


def _buyer_deposit(request: HttpRequest, pk: int) -> Deposit:
    deposit = get_for_user(
        request, Deposit.objects.select_related("consultation__authority", "company"), pk=pk
    )
    require_right(request, deposit.authority)
    if not deposit.consultation.deadline_passed(clock.now()):
        raise Http404
    return deposit


@login_required
@require_GET
def deposit_view(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = _buyer_deposit(request, pk)
    envelopes = deposit.envelopes.select_related("lot", "opened_by").prefetch_related("files")
    counts = deposit.pk in {d.pk for d in counting_deposits(deposit.consultation)}
    context = {
        "deposit": deposit,
        "consultation": deposit.consultation,
        "envelopes": envelopes,
        "counts": counts,
    }
    return render(request, "marches_bids/buyer/deposit.html", context)


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Deposit.objects.visible_to(request.user)
    file = (
        DepositFile.objects.filter(pk=pk, envelope__deposit__in=visible)
        .select_related("envelope__deposit__consultation__authority", "envelope__lot")
        .first()
    )
    if file is None:
        raise Http404
    deposit = file.envelope.deposit
    require_right(request, deposit.authority, write=True)
    try:
        stream = open_file_stream(file=file, actor=actor_of(request))
    except RightsError as exc:
        raise PermissionDenied(exc.message) from exc
    except BidsError as exc:
        messages.error(request, exc.message)
        return redirect("marches_bids:buyer_deposit", deposit.pk)
    response = StreamingHttpResponse(stream, content_type="application/octet-stream")
    response["Content-Length"] = str(file.size)
    response["Content-Disposition"] = content_disposition_header(True, file.name)
    response["X-Content-SHA256"] = file.sha256
    return response


@login_required
@require_GET
def evidence_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = buyer_consultation(request, pk)
    if not consultation.deadline_passed(clock.now()):
        messages.error(
            request, "Le rapport de preuve nomme les entreprises : il est disponible après la date limite."
        )
        return _redirect(consultation)
    response = HttpResponse(
        evidence_report(consultation=consultation, actor=actor_of(request)), "application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="preuves-depots-{consultation.reference}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def backups(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = buyer_consultation(request, pk, write=request.method == "POST")
    if request.method == "POST":
        received = posted_datetime(request, "received_at")
        try:
            if received is None:
                raise BidsError("Indiquez la date et l'heure de réception de la copie.")
            backup_services.register_backup_copy(
                consultation=consultation,
                actor=actor_of(request),
                company_name=request.POST.get("company_name", ""),
                company_siret=request.POST.get("company_siret", ""),
                medium=request.POST.get("medium", ""),
                received_at=received,
                notes=request.POST.get("notes", ""),
            )
            messages.success(request, "Copie de sauvegarde enregistrée.")
        except RightsError as exc:
            raise PermissionDenied(exc.message) from exc
        except BidsError as exc:
            messages.error(request, exc.message)
        return redirect("marches_bids:backups", consultation.pk)
    copies = BackupCopy.objects.filter(consultation=consultation).order_by("received_at")
    context = {"consultation": consultation, "copies": copies, "reasons": BackupOpenReason.choices}
    return render(request, "marches_bids/buyer/backups.html", context)


@login_required
@require_POST
def backup_action(request: HttpRequest, pk: int) -> HttpResponse:
    copy = get_for_user(request, BackupCopy.objects.select_related("consultation__authority"), pk=pk)
    require_right(request, copy.authority, write=True)
    actor = actor_of(request)
    try:
        if request.POST.get("action") == "open":
            backup_services.open_backup_copy(
                copy=copy,
                actor=actor,
                reason=request.POST.get("reason", ""),
                details=request.POST.get("details", ""),
            )
            messages.success(request, "Ouverture de la copie enregistrée.")
        elif request.POST.get("action") == "destroy":
            backup_services.destroy_backup_copy(
                copy=copy, actor=actor, details=request.POST.get("details", "")
            )
            messages.success(request, "Destruction de la copie enregistrée.")
        else:
            messages.error(request, "Action inconnue.")
    except BidsError as exc:
        messages.error(request, exc.message)
    return redirect("marches_bids:backups", copy.consultation_id)
