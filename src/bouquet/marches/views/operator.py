"""The operator's overview of every member's consultations (read-only).

Members get 403. The list spans the authorities the staff member's operator serves; opening
one consultation goes through ``core.access.get_served``, which journals it.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bouquet.core.access import get_served, operator_view
from bouquet.core.models import Authority
from bouquet.marches.forms import OperatorFilterForm
from bouquet.marches.models import Consultation

PAGE_SIZE = 50


@operator_view
@require_GET
def operator_home(request: HttpRequest) -> HttpResponse:
    served = Authority.objects.served_by(request.user).values("pk")
    queryset = Consultation.objects.filter(authority__in=served).select_related("authority")
    counts = dict(queryset.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    form = OperatorFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if text := (data.get("q") or "").strip():
        queryset = queryset.filter(
            Q(reference__icontains=text) | Q(object__icontains=text) | Q(authority__name__icontains=text)
        )
    page = Paginator(queryset.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marches/operator/home.html", {"page": page, "form": form, "counts": counts})


@operator_view
@require_GET
def operator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_served(request, Consultation.objects.select_related("authority"), pk=pk)
    context = {
        "consultation": consultation,
        "lots": consultation.lots.all(),
        "files": consultation.dce_files.all().order_by("name", "-version"),
        "events": consultation.events.order_by("-at", "-id")[:100],
        "download_count": consultation.downloads.count(),
        "question_count": consultation.questions.count(),
    }
    return render(request, "marches/operator/detail.html", context)
