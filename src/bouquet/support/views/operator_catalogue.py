"""The operator's view of services on demand: interest counts against thresholds, opening a service."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from bouquet.core.access import operator_view
from bouquet.core.choices import OperatorRole
from bouquet.core.models import Authority
from bouquet.support.errors import SupportError
from bouquet.support.forms import ServiceForm
from bouquet.support.models import OnDemandService
from bouquet.support.services.catalogue import open_service, update_service
from bouquet.support.views.common import report


def _services(request: HttpRequest):
    return OnDemandService.objects.filter(operator=request.staff.operator).annotate(
        count=Count("interests", filter=Q(interests__withdrawn_at__isnull=True))
    )


def _get_service(request: HttpRequest, code: str) -> OnDemandService:
    service = _services(request).filter(code=code).first()
    if service is None:
        raise Http404
    return service


@operator_view
@require_GET
def operator_services(request: HttpRequest) -> HttpResponse:
    services = list(_services(request))
    for service in services:
        service.percent = min(100, round(100 * service.count / service.threshold))
        service.reached = service.count >= service.threshold
    return render(request, "support/operator/services.html", {"services": services})


@operator_view
@require_GET
def operator_service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = _get_service(request, code)
    served = Authority.objects.served_by(request.user).values("pk")
    interests = (
        service.interests.filter(authority__in=served)
        .select_related("authority", "registered_by", "withdrawn_by")
        .order_by("withdrawn_at", "created_at")
    )
    context = {
        "service": service,
        "active": [i for i in interests if i.withdrawn_at is None],
        "withdrawn": [i for i in interests if i.withdrawn_at is not None],
        "form": ServiceForm(
            initial={
                "threshold": service.threshold,
                "summary": service.summary,
                "description": service.description,
            }
        ),
        "is_admin": request.staff.role == OperatorRole.ADMIN,
    }
    return render(request, "support/operator/service.html", context)


@operator_view
@require_POST
def operator_service_open(request: HttpRequest, code: str) -> HttpResponse:
    service = _get_service(request, code)
    try:
        notified = open_service(service=service, user=request.user)
    except SupportError as error:
        report(request, error)
    else:
        messages.success(
            request,
            f"« {service.name} » est ouvert ; {len(notified)} collectivité{'s' if len(notified) > 1 else ''} "
            "prévenue(s) par courriel.",
        )
    return redirect("support:operator_service_detail", code=service.code)


@operator_view
@require_POST
def operator_service_edit(request: HttpRequest, code: str) -> HttpResponse:
    service = _get_service(request, code)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        errors = " ".join(e for field in form.errors.values() for e in field)
        messages.error(request, f"Rien n'a été modifié : {errors}")
        return redirect("support:operator_service_detail", code=service.code)
    try:
        update_service(service=service, user=request.user, **form.cleaned_data)
    except SupportError as error:
        report(request, error)
    else:
        messages.success(request, "Le service est modifié.")
    return redirect("support:operator_service_detail", code=service.code)
