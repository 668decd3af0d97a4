"""Members and their membership status: the list, one member's page, a new dated status."""

from django.contrib import messages
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bouquet.backoffice.choices import MembershipStatus
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.fees import compute_fee_calls
from bouquet.backoffice.forms import (
    NO_STATUS,
    ConventionCreateForm,
    MembershipFilterForm,
    MembershipStatusForm,
)
from bouquet.backoffice.memberships import with_status
from bouquet.backoffice.models import AidPayment, Convention, FeeCall, MembershipStatusChange
from bouquet.backoffice.services.change_membership_status import change_membership_status
from bouquet.backoffice.views.common import can_edit, form_errors, paginate, require_admin, served
from bouquet.backoffice.views.kit import kit_links
from bouquet.core.access import get_served, operator_view
from bouquet.core.audit import Actor
from bouquet.core.models import Authority, Subscription


def _since(on):
    rows = MembershipStatusChange.objects.filter(authority=OuterRef("pk"), effective_date__lte=on)
    return Subquery(rows.order_by("-effective_date", "-id").values("effective_date")[:1])


@operator_view
@require_GET
def membership_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = MembershipFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    members = with_status(served(request), today).annotate(status_since=_since(today))
    if q := data.get("q", "").strip():
        members = members.filter(Q(name__icontains=q) | Q(siren__startswith=q.replace(" ", "")))
    if status := data.get("status"):
        members = (
            members.filter(membership_status__isnull=True)
            if status == NO_STATUS
            else members.filter(membership_status=status)
        )
    page = paginate(request, members.order_by("name"))
    for authority in page.object_list:
        status = authority.membership_status
        authority.membership_status_label = MembershipStatus(status).label if status else ""
    filtered = any(data.values())
    return render(request, "backoffice/memberships.html", {"form": form, "page": page, "filtered": filtered})


def member_context(request: HttpRequest, authority: Authority, status_form=None) -> dict:
    today = timezone.localdate()
    history = list(MembershipStatusChange.objects.for_tenant(authority).select_related("recorded_by"))
    current = next((row for row in reversed(history) if row.effective_date <= today), None)
    fee = compute_fee_calls(authority.operator, today.year, Authority.objects.filter(pk=authority.pk))
    return {
        "authority": authority,
        "history": history,
        "current": current,
        "status_form": status_form or MembershipStatusForm(initial={"effective_date": today}),
        "convention_form": ConventionCreateForm(authority=authority),
        "subscriptions": Subscription.objects.for_tenant(authority)
        .select_related("module")
        .order_by("module__code"),
        "conventions": Convention.objects.for_tenant(authority)
        .select_related("amends")
        .order_by("module", "created_at"),
        "fee": fee[0] if fee else None,
        "fee_calls": FeeCall.objects.for_tenant(authority).order_by("-year"),
        "payments": AidPayment.objects.for_tenant(authority).select_related("aid").order_by("-paid_on"),
        "kit_documents": kit_links(),
        "year": today.year,
        "can_edit": can_edit(request),
    }


@operator_view
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_served(request, Authority.objects.select_related("operator"), pk=pk)
    return render(request, "backoffice/member.html", member_context(request, authority))


@operator_view
@require_POST
def member_status(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_served(request, Authority.objects.select_related("operator"), pk=pk)
    require_admin(request)
    form = MembershipStatusForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("backoffice:member", pk=authority.pk)
    try:
        row = change_membership_status(
            authority=authority, actor=Actor.of_user(request.user), **form.cleaned_data
        )
    except BackofficeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Statut « {row.get_status_display()} » enregistré au {row.effective_date:%d/%m/%Y}."
        )
    return redirect("backoffice:member", pk=authority.pk)
