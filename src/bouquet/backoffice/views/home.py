"""The back-office home: memberships, the year's fees, conventions to prepare, aids not yet paid."""

from collections import Counter

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bouquet.backoffice.choices import ConventionStatus, MembershipStatus
from bouquet.backoffice.eligibility import aid_rows
from bouquet.backoffice.fees import ZERO, compute_fee_calls
from bouquet.backoffice.memberships import with_status
from bouquet.backoffice.models import AidRule, Convention
from bouquet.backoffice.views.common import can_edit, served
from bouquet.core.access import operator_view

LIST_LIMIT = 10


def _aid_summaries(request: HttpRequest, today):
    aids = AidRule.objects.filter(operator=request.staff.operator, valid_from__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    summaries = []
    for aid in aids.select_related("required_module"):
        unpaid = [row for row in aid_rows(aid, today, served(request)) if row.eligible and not row.payments]
        summaries.append((aid, unpaid))
    return summaries


@operator_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    members = served(request)
    counts = Counter(with_status(members, today).values_list("membership_status", flat=True))
    by_status = [(label, counts.get(value, 0)) for value, label in MembershipStatus.choices]
    fees = compute_fee_calls(request.staff.operator, today.year, members)
    to_prepare = (
        Convention.objects.filter(authority__in=members, status=ConventionStatus.TO_PREPARE)
        .select_related("authority")
        .order_by("created_at", "id")
    )
    context = {
        "staff": request.staff,
        "today": today,
        "by_status": by_status,
        "without_status": counts.get(None, 0),
        "year": today.year,
        "fee_total": sum((fee.total for fee in fees), ZERO),
        "fee_members": len([fee for fee in fees if fee.total > 0]),
        "fee_issued": sum((fee.issued.amount for fee in fees if fee.issued), ZERO),
        "to_prepare_count": to_prepare.count(),
        "to_prepare": to_prepare[:LIST_LIMIT],
        "sent_count": Convention.objects.filter(authority__in=members, status=ConventionStatus.SENT).count(),
        "aids": _aid_summaries(request, today),
        "list_limit": LIST_LIMIT,
        "can_edit": can_edit(request),
    }
    return render(request, "backoffice/home.html", context)
