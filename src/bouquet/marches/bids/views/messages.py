"""Secure exchanges: the company's inbox and answers, the buyer's threads per bidder, and the proofs."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from bouquet.core.audit import record
from bouquet.marches.bids import clock, storage
from bouquet.marches.bids.choices import Direction, MessageKind
from bouquet.marches.bids.errors import BidsError, RightsError
from bouquet.marches.bids.models import Deposit, Message
from bouquet.marches.bids.pdf.message_proof import ProofData, message_proof_pdf
from bouquet.marches.bids.services.messaging import (
    BUYER_KINDS,
    Attachment,
    mark_read,
    send_to_buyer,
    send_to_company,
)
from bouquet.marches.bids.views.common import (
    actor_of,
    buyer_consultation,
    company_view,
    posted_datetime,
    posted_int,
    require_right,
)
from bouquet.marches.models import Company, Consultation


def _attachment(request: HttpRequest) -> Attachment | None:
    upload = request.FILES.get("attachment")
    return Attachment(upload.name, upload.read()) if upload else None


# --- company side ----------------------------------------------------------------------------------


@company_view
@require_GET
def company_inbox(request: HttpRequest) -> HttpResponse:
    rows = Message.objects.of_company_user(request.user).select_related("consultation__authority", "company")
    return render(request, "marches_bids/company_inbox.html", {"rows": rows.order_by("-sent_at")[:300]})


@company_view
@require_http_methods(["GET", "POST"])
def company_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(
        Message.objects.of_company_user(request.user).select_related("consultation"), pk=pk
    )
    actor = actor_of(request)
    if request.method == "POST":
        try:
            send_to_buyer(
                consultation=message.consultation,
                company=message.company,
                actor=actor,
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
                in_reply_to=message,
                attachment=_attachment(request),
            )
            flash.success(request, "Votre réponse est envoyée ; la preuve d'envoi est disponible.")
        except BidsError as exc:
            flash.error(request, exc.message)
        return redirect("marches_bids:company_message", message.pk)
    if message.direction == Direction.TO_COMPANY:
        mark_read(message=message, actor=actor)
    can_answer = message.expects_answer and not message.answers.exists()
    context = {"message": message, "answers": message.answers.all(), "can_answer": can_answer}
    return render(request, "marches_bids/company_message.html", context)


@company_view
@require_http_methods(["GET", "POST"])
def company_write(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation.objects.public().select_related("authority"), pk=pk)
    if request.method == "POST":
        try:
            message = send_to_buyer(
                consultation=consultation,
                company=request.company,
                actor=actor_of(request),
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
                attachment=_attachment(request),
            )
            flash.success(request, "Votre message est envoyé à l'acheteur.")
            return redirect("marches_bids:company_message", message.pk)
        except BidsError as exc:
            flash.error(request, exc.message)
    return render(request, "marches_bids/company_write.html", {"consultation": consultation})


# --- buyer side ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def buyer_messages(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = buyer_consultation(request, pk, write=request.method == "POST")
    bidders = Company.objects.filter(
        pk__in=Deposit.objects.filter(consultation=consultation).received().values("company")
    ).order_by("name")
    passed = consultation.deadline_passed(clock.now())
    if request.method == "POST":
        company = bidders.filter(pk=posted_int(request, "company")).first()
        due = posted_datetime(request, "answer_due")
        try:
            if company is None:
                raise BidsError("Choisissez une entreprise ayant déposé un pli.")
            send_to_company(
                consultation=consultation,
                company=company,
                actor=actor_of(request),
                kind=request.POST.get("kind", ""),
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
                answer_due=due,
                attachment=_attachment(request),
            )
            flash.success(request, f"Message envoyé à {company.name}.")
            return redirect("marches_bids:buyer_thread", consultation.pk, company.pk)
        except RightsError as exc:
            raise PermissionDenied(exc.message) from exc
        except BidsError as exc:
            flash.error(request, exc.message)
    threads = Message.objects.filter(consultation=consultation).select_related("company").order_by("-sent_at")
    kinds = [(k, MessageKind(k).label) for k in MessageKind.values if k in BUYER_KINDS]
    if not consultation.allows_negotiation:
        kinds = [k for k in kinds if k[0] != MessageKind.NEGOTIATION]
    context = {
        "consultation": consultation,
        "bidders": bidders if passed else [],
        "passed": passed,
        "threads": threads if passed else [],
        "kinds": kinds,
    }
    return render(request, "marches_bids/buyer/messages.html", context)


@login_required
@require_GET
def buyer_thread(request: HttpRequest, pk: int, company_pk: int) -> HttpResponse:
    consultation = buyer_consultation(request, pk)
    if not consultation.deadline_passed(clock.now()):
        raise Http404
    company = get_object_or_404(Company, pk=company_pk)
    rows = list(Message.objects.filter(consultation=consultation, company=company).order_by("sent_at"))
    if not rows and not Deposit.objects.filter(consultation=consultation, company=company).exists():
        raise Http404
    actor = actor_of(request)
    for message in rows:
        if message.direction == Direction.TO_BUYER and message.read_at is None:
            mark_read(message=message, actor=actor)
    context = {"consultation": consultation, "company": company, "rows": rows}
    return render(request, "marches_bids/buyer/thread.html", context)


# --- proofs and attachments (either side) ----------------------------------------------------------


def _message_for(request: HttpRequest, pk: int) -> Message:
    if not request.user.is_authenticated:
        raise Http404
    related = ("consultation__authority", "company", "sent_by", "read_by")
    message = Message.objects.of_company_user(request.user).select_related(*related).filter(pk=pk).first()
    if message is None:
        message = Message.objects.visible_to(request.user).select_related(*related).filter(pk=pk).first()
        if message is None:
            raise Http404
        require_right(request, message.authority)
    return message


@login_required
@require_GET
def message_proof(request: HttpRequest, pk: int) -> HttpResponse:
    m = _message_for(request, pk)
    data = ProofData(
        buyer=f"{m.consultation.authority.name} (SIRET {m.consultation.buyer_siret})",
        consultation=f"{m.consultation.reference} — {m.consultation.object}",
        company=f"{m.company.name} (SIRET {m.company.siret})",
        direction=m.get_direction_display(),
        kind=m.get_kind_display(),
        subject=m.subject,
        body=m.body,
        sent_at=m.sent_at,
        sent_by=f"{m.sent_by.full_name} <{m.sent_by.email}>",
        digest=m.digest,
        read_at=m.read_at,
        read_by=f"{m.read_by.full_name} <{m.read_by.email}>" if m.read_by else "",
        attachment=m.attachment_name,
        attachment_size=m.attachment_size,
        attachment_sha256=m.attachment_sha256,
    )
    response = HttpResponse(message_proof_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="preuve-message-{m.pk}.pdf"'
    return response


@login_required
@require_GET
def message_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message_for(request, pk)
    if not message.attachment_path:
        raise Http404
    with transaction.atomic():
        record(
            actor=actor_of(request),
            action="marches_bids.message.attachment",
            authority=message.authority,
            obj=message,
            details={"name": message.attachment_name},
        )
    response = HttpResponse(storage.read(message.attachment_path), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, message.attachment_name)
    return response
