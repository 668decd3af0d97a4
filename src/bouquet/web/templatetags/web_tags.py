from datetime import date

from django import template
from django.db import DatabaseError
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format

from bouquet.core.access import module_right
from bouquet.core.choices import Access
from bouquet.core.models import Operator, Subscription
from bouquet.web.modules import CODE_TO_SLUG

register = template.Library()

DEFAULT_OPERATOR_NAME = "Opérateur de mutualisation"


@register.simple_tag(takes_context=True)
def operator_name(context) -> str:
    """The platform operator's name; survives a broken database (the 500 page uses it)."""
    request = context.get("request")
    if getattr(request, "staff", None) is not None:  # set by the operator pages
        return request.staff.operator.name
    if getattr(request, "authority", None) is not None:
        return request.authority.operator.name
    try:
        operator = Operator.objects.order_by("pk").first()
    except DatabaseError:
        return DEFAULT_OPERATOR_NAME
    return operator.name if operator else DEFAULT_OPERATOR_NAME


@register.simple_tag
def optional_url(name: str) -> str:
    """The URL of ``name``, or "" when the app providing it is not installed yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@register.filter
def long_date(value: date | None) -> str:
    """« 1er janvier 2024 », « 15 mars 2025 »: the French ordinal for the first of the month."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {date_format(value, 'F Y')}"


def _is_company_user(user) -> bool:
    """A company's agent answering consultations (no member authority)."""
    from bouquet.marches.companies import company_for

    return company_for(user) is not None


def _nav_items(request, is_staff: bool) -> list[tuple[str, str]]:
    items = [("Accueil", reverse("web:home"))]
    authority = getattr(request, "authority", None)
    if authority is not None:
        subscriptions = Subscription.objects.for_tenant(authority).current().select_related("module")
        for sub in sorted(subscriptions, key=lambda s: s.module.code):
            right = module_right(request, sub.module.code)
            if sub.module.code in CODE_TO_SLUG and right is not None and right.access != Access.NONE:
                items.append(
                    (sub.module.name, reverse("web:module_dashboard", args=[CODE_TO_SLUG[sub.module.code]]))
                )
    if authority is not None and (support := optional_url("support:home")):
        items.append(("Accompagnement", support))
    if authority is None and _is_company_user(request.user):
        items += [
            ("Consultations", reverse("marches_public:search")),
            ("Mon entreprise", reverse("marches_public:company_home")),
            ("Mes plis", reverse("marches_bids:my_deposits")),
            ("Messages", reverse("marches_bids:company_inbox")),
        ]
    if is_staff:
        items.append(("Espace opérateur", reverse("web:operator_dashboard")))
    return items


@register.inclusion_tag("web/_nav.html", takes_context=True)
def main_nav(context) -> dict:
    """Main navigation; the link of the current section carries aria-current="page"."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"items": []}
    items = []
    for label, url in _nav_items(request, bool(context.get("is_operator_staff"))):
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"label": label, "url": url, "current": current})
    return {"items": items}
