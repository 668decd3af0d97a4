"""The company's pages: the deposit page (files per envelope, progress, final validation), the
deposit's receipt page with its acknowledgement, and the list of its deposits."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from bouquet.marches.bids import clock
from bouquet.marches.bids.models import Deposit, DepositFile, Message
from bouquet.marches.bids.services.acknowledgement import acknowledgement_bytes
from bouquet.marches.bids.services.deposit_start import CANDIDATURE, SINGLE_OFFER, accepts_deposits
from bouquet.marches.bids.views import upload
from bouquet.marches.bids.views.common import company_deposit, company_view
from bouquet.marches.models import Consultation


def slots(consultation: Consultation) -> list[tuple[str, str]]:
    """The envelopes a deposit may contain: the candidature, then one offer per lot (or one offer)."""
    lots = list(consultation.lots.all())
    offers = [(f"lot-{lot.number}", f"Offre — lot {lot.number} : {lot.object}") for lot in lots]
    return [(CANDIDATURE, "Candidature"), *(offers or [(SINGLE_OFFER, "Offre")])]


@company_view
@require_http_methods(["GET", "POST"])
def deposit_page(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        return upload.start(request, pk)
    consultation = get_object_or_404(Consultation.objects.public().select_related("authority"), pk=pk)
    now = clock.now()
    previous = Deposit.objects.filter(consultation=consultation, company=request.company).order_by(
        "-started_at"
    )
    context = {
        "consultation": consultation,
        "company": request.company,
        "slots": slots(consultation),
        "accepts": accepts_deposits(consultation),
        "deadline_passed": consultation.deadline_passed(now) and not consultation.is_test,
        "previous": previous,
        "chunk_size": settings.MARCHES_BIDS_CHUNK_SIZE,
        "max_size": settings.MARCHES_BIDS_MAX_DEPOSIT_SIZE,
        "max_files": settings.MARCHES_BIDS_MAX_FILES,
        "now": now,
    }
    return render(request, "marches_bids/deposit.html", context)


@company_view
@require_GET
def deposit_detail(request: HttpRequest, uuid) -> HttpResponse:
    deposit = company_deposit(request, uuid)
    files = (
        DepositFile.objects.filter(envelope__deposit=deposit)
        .select_related("envelope__lot")
        .order_by("position")
    )
    return render(request, "marches_bids/deposit_detail.html", {"deposit": deposit, "files": files})


@company_view
@require_GET
def ack_pdf(request: HttpRequest, uuid) -> HttpResponse:
    deposit = company_deposit(request, uuid)
    if not deposit.is_received:
        return render(
            request, "marches_bids/deposit_detail.html", {"deposit": deposit, "files": []}, status=404
        )
    response = HttpResponse(acknowledgement_bytes(deposit), content_type="application/pdf")
    name = f"accuse-reception-{deposit.consultation.reference}-{deposit.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@company_view
@require_GET
def my_deposits(request: HttpRequest) -> HttpResponse:
    deposits = (
        Deposit.objects.of_company_user(request.user)
        .select_related("consultation__authority", "company")
        .order_by("-started_at")[:200]
    )
    unread = (
        Message.objects.of_company_user(request.user)
        .filter(direction="to_company", read_at__isnull=True)
        .count()
    )
    return render(request, "marches_bids/my_deposits.html", {"deposits": deposits, "unread": unread})
