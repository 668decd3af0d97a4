"""Operator screens: the certificates registry (list with search and expiry filter, detail)."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bouquet.core.access import operator_view
from bouquet.core.models import User
from bouquet.pki.models import Certificate

PAGE_SIZE = 50
EXPIRY_HORIZON = timedelta(days=90)


def _with_accounts(queryset):
    active = User.objects.filter(is_active=True).order_by("email")
    return queryset.prefetch_related(Prefetch("users", queryset=active, to_attr="active_accounts"))


@require_GET
@operator_view
def operator_certificates(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    q = request.GET.get("q", "").strip()
    expiring = request.GET.get("expire") == "90"
    certificates = Certificate.objects.search(q)
    if expiring:
        certificates = certificates.filter(not_after__gte=now, not_after__lte=now + EXPIRY_HORIZON)
    certificates = _with_accounts(certificates.defer("der").order_by("not_after", "pk"))
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "expiring": expiring, "now": now, "soon": now + EXPIRY_HORIZON}
    return render(request, "pki/operator_certificates.html", context)


@require_GET
@operator_view
def operator_certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(_with_accounts(Certificate.objects.all()), pk=pk)
    context = {
        "certificate": certificate,
        "now": timezone.now(),
        "alerts": certificate.expiry_alerts.order_by("-sent_at"),
    }
    return render(request, "pki/operator_certificate_detail.html", context)
