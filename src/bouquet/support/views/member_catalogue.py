"""Members' catalogue of services on demand: say "we are interested", or withdraw it."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from bouquet.support.errors import SupportError
from bouquet.support.models import OnDemandService, ServiceInterest
from bouquet.support.services.catalogue import register_interest, withdraw_interest
from bouquet.support.views.common import can_act, member_view, report, require_can_act


def _services(request: HttpRequest):
    return OnDemandService.objects.filter(operator_id=request.authority.operator_id).annotate(
        count=Count("interests", filter=Q(interests__withdrawn_at__isnull=True))
    )


def _get_service(request: HttpRequest, code: str) -> OnDemandService:
    service = _services(request).filter(code=code).first()
    if service is None:
        raise Http404
    return service


@member_view
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    services = list(_services(request))
    asked = set(
        ServiceInterest.objects.for_tenant(request.authority)
        .filter(withdrawn_at__isnull=True)
        .values_list("service_id", flat=True)
    )
    for service in services:
        service.asked = service.pk in asked
        service.missing = max(service.threshold - service.count, 0)
        service.percent = min(100, round(100 * service.count / service.threshold))
    return render(request, "support/catalogue.html", {"services": services, "can_act": can_act(request)})


@member_view
@require_POST
def service_interest(request: HttpRequest, code: str) -> HttpResponse:
    require_can_act(request)
    service = _get_service(request, code)
    try:
        register_interest(service=service, authority=request.authority, user=request.user)
    except SupportError as error:
        report(request, error)
    else:
        messages.success(
            request,
            f"C'est noté : {request.authority.name} est intéressée par « {service.name} ». "
            "Vous serez prévenu par courriel de son ouverture.",
        )
    return redirect(f"{reverse('support:catalogue')}#service-{service.code}")


@member_view
@require_POST
def service_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    require_can_act(request)
    service = _get_service(request, code)
    try:
        withdraw_interest(service=service, authority=request.authority, user=request.user)
    except SupportError as error:
        report(request, error)
    else:
        messages.success(request, f"Votre demande pour « {service.name} » est retirée.")
    return redirect(f"{reverse('support:catalogue')}#service-{service.code}")
