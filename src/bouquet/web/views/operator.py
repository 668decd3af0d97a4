"""Operator area: members and users of the operator the staff member works for (read-only for now)."""

from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bouquet.core.access import get_served, operator_view
from bouquet.core.choices import AuthorityKind, AuthorityStatus, ModuleCode
from bouquet.core.models import Authority, Membership, Subscription, User
from bouquet.reporting.summary import blocks, sections_for
from bouquet.web.forms import AuthorityFilterForm, UserFilterForm

PAGE_SIZE = 25
CERTIFICATE_HORIZON = timedelta(days=90)


def _paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _certificates_url() -> str | None:
    """The PKI app's operator page, when that app provides it."""
    try:
        return reverse("pki:operator_certificates")
    except NoReverseMatch:
        return None


def _count_by(queryset: QuerySet, field: str, choices: list) -> list[tuple[str, int]]:
    labels = dict(choices)
    rows = queryset.values(field).annotate(n=Count("pk")).order_by(field)
    return [(labels.get(row[field], row[field]), row["n"]) for row in rows]


@operator_view
def operator_dashboard(request: HttpRequest) -> HttpResponse:
    members = Authority.objects.served_by(request.user)
    by_kind = _count_by(members, "kind", AuthorityKind.choices)
    by_status = _count_by(members, "status", AuthorityStatus.choices)
    context = {
        "staff": request.staff,
        "member_count": members.count(),
        "by_kind": by_kind,
        "by_status": by_status,
        "user_count": _served_users(request.user).count(),
        "certificates_url": _certificates_url(),
        "certificate_horizon_days": CERTIFICATE_HORIZON.days,
        "stats_blocks": blocks(
            sections_for(
                lambda model: model.objects.served_by(request.user),
                timezone.localdate().year,
                {ModuleCode.ACTES, ModuleCode.HELIOS},
                with_delays=False,
            )
        ),  # fmt: skip
        "stats_url": reverse("reporting:operator"),
    }
    return render(request, "web/operator/dashboard.html", context)


def _filter_authorities(queryset: QuerySet, data: dict) -> QuerySet:
    if q := data.get("q", "").strip():
        digits = q.replace(" ", "")
        match = Q(name__icontains=q) | Q(children__name__icontains=q) | Q(parent__name__icontains=q)
        if digits.isdigit():
            match |= Q(siren__startswith=digits) | Q(sirets__siret__startswith=digits)
        queryset = queryset.filter(pk__in=Authority.objects.filter(match).values("pk"))
    for field in ("kind", "status", "arrondissement"):
        if data.get(field):
            queryset = queryset.filter(**{field: data[field]})
    return queryset


@operator_view
def member_list(request: HttpRequest) -> HttpResponse:
    members = Authority.objects.served_by(request.user)
    form = AuthorityFilterForm(request.GET or None)
    form.fields["kind"].choices = [("", "Toutes")] + list(AuthorityKind.choices)
    form.fields["status"].choices = [("", "Tous")] + list(AuthorityStatus.choices)
    arrondissements = members.order_by("arrondissement").values_list("arrondissement", flat=True).distinct()
    form.fields["arrondissement"].choices = [("", "Tous")] + [(a, a) for a in arrondissements]
    data = form.cleaned_data if form.is_valid() else {}
    queryset = (
        _filter_authorities(members, data).select_related("parent").annotate(user_count=Count("memberships"))
    )
    page = _paginate(request, queryset.order_by("name"))
    return render(request, "web/operator/members.html", {"form": form, "page": page, "filtered": bool(data)})


@operator_view
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_served(request, Authority.objects.select_related("parent", "operator"), pk=pk)
    today = timezone.localdate()
    subscriptions = (
        Subscription.objects.for_tenant(authority).select_related("module").order_by("module__code")
    )
    memberships = (
        Membership.objects.for_tenant(authority)
        .select_related("user")
        .prefetch_related("rights__module")
        .order_by("user__last_name", "user__first_name")
    )
    context = {
        "authority": authority,
        "sirets": authority.sirets.all(),
        "children": authority.children.order_by("name"),
        "subscriptions": [
            (s, s.start_date <= today and (s.end_date is None or s.end_date >= today)) for s in subscriptions
        ],
        "memberships": memberships,
    }
    return render(request, "web/operator/member.html", context)


def _served_users(staff_user: User) -> QuerySet:
    served = Authority.objects.served_by(staff_user)
    return User.objects.filter(
        Q(pk__in=Membership.objects.filter(authority__in=served).values("user"))
        | Q(pk__in=User.objects.filter(operator_roles__operator__staff__user=staff_user).values("pk"))
    )


@operator_view
def user_list(request: HttpRequest) -> HttpResponse:
    served = Authority.objects.served_by(request.user)
    form = UserFilterForm(request.GET or None)
    users = _served_users(request.user)
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        users = users.filter(Q(email__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    users = users.order_by("last_name", "first_name", "pk").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(authority__in=served)
            .select_related("authority")
            .order_by("authority__name"),
        ),
        "operator_roles",
    )
    return render(request, "web/operator/users.html", {"form": form, "page": _paginate(request, users)})
