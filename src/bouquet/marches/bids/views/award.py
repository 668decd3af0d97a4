"""Award per lot, notification of the winner, the award notice (private page and public page)."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.core.access import get_for_user
from bouquet.marches.bids.choices import AwardOutcome
from bouquet.marches.bids.errors import BidsError, RightsError
from bouquet.marches.bids.models import Award, AwardNotice, Deposit
from bouquet.marches.bids.services import awards as services
from bouquet.marches.bids.services.messaging import Attachment
from bouquet.marches.bids.views.common import (
    actor_of,
    buyer_consultation,
    posted_datetime,
    posted_int,
    require_right,
)
from bouquet.marches.models import Consultation


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(" ", "").replace(",", ".")) if text.strip() else None
    except InvalidOperation:
        return None


def _lots(consultation: Consultation) -> list[dict]:
    awards = {a.lot_id: a for a in Award.objects.filter(consultation=consultation).select_related("company")}
    lots = list(consultation.lots.all()) or [None]
    return [
        {
            "lot": lot,
            "key": lot.number if lot else "",
            "award": awards.get(lot.pk if lot else None),
            "bidders": services.bidders_for(consultation, lot),
        }
        for lot in lots
    ]


@login_required
@require_http_methods(["GET", "POST"])
def award_page(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = buyer_consultation(request, pk, write=request.method == "POST")
    if request.method == "POST":
        lot = consultation.lots.filter(number=posted_int(request, "lot")).first()
        deposit = Deposit.objects.filter(consultation=consultation, pk=posted_int(request, "deposit")).first()
        try:
            services.decide(
                consultation=consultation,
                lot=lot,
                actor=actor_of(request),
                outcome=request.POST.get("outcome", AwardOutcome.AWARDED),
                reasons=request.POST.get("reasons", ""),
                deposit=deposit,
                amount_ht=_amount(request.POST.get("amount_ht", "")),
            )
            messages.success(request, "Décision enregistrée ; les lettres de rejet sont envoyées.")
        except RightsError as exc:
            raise PermissionDenied(exc.message) from exc
        except BidsError as exc:
            messages.error(request, exc.message)
        return redirect("marches_bids:award", consultation.pk)
    notice = AwardNotice.objects.filter(consultation=consultation).first()
    context = {
        "consultation": consultation,
        "lots": _lots(consultation),
        "notice": notice,
        "notice_text": services.award_notice_text(consultation),
    }
    return render(request, "marches_bids/buyer/award.html", context)


def _award(request: HttpRequest, pk: int) -> Award:
    award = get_for_user(
        request, Award.objects.select_related("consultation__authority", "company", "lot"), pk=pk
    )
    require_right(request, award.authority, write=True)
    return award


@login_required
@require_POST
def notify(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    upload = request.FILES.get("contract")
    try:
        services.notify_winner(
            award=award,
            actor=actor_of(request),
            body=request.POST.get("body", ""),
            attachment=Attachment(upload.name, upload.read()) if upload else None,
        )
        messages.success(
            request, "Notification envoyée ; sa lecture par l'entreprise vaudra accusé de réception."
        )
    except BidsError as exc:
        messages.error(request, exc.message)
    return redirect("marches_bids:award", award.consultation_id)


@login_required
@require_POST
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    when = posted_datetime(request, "received_at")
    try:
        if when is None:
            raise BidsError("Indiquez la date et l'heure de réception.")
        services.record_receipt(award=award, actor=actor_of(request), received_at=when)
        messages.success(request, "Date de réception de la notification enregistrée.")
    except BidsError as exc:
        messages.error(request, exc.message)
    return redirect("marches_bids:award", award.consultation_id)


@login_required
@require_POST
def publish_notice(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = buyer_consultation(request, pk, write=True)
    try:
        services.publish_award_notice(
            consultation=consultation, actor=actor_of(request), text=request.POST.get("text", "")
        )
        messages.success(request, "Avis d'attribution publié sur la page publique de la consultation.")
    except BidsError as exc:
        messages.error(request, exc.message)
    return redirect("marches_bids:award", consultation.pk)


@require_GET
def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation.objects.public().select_related("authority"), pk=pk)
    notice = AwardNotice.objects.filter(consultation=consultation).first()
    if notice is None:
        raise Http404
    return render(request, "marches_bids/award_notice.html", {"consultation": consultation, "notice": notice})
