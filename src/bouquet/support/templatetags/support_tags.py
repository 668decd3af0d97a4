"""Template filters of the support pages."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from bouquet.support.text import render_markdown_lite

register = template.Library()


@register.filter
def markdown_lite(value: str) -> SafeString:
    """Staff-written text as safe HTML: escaped first, then paragraphs, lists, bold and links."""
    return render_markdown_lite(value or "")


@register.filter
def minutes(value: int | None) -> str:
    """125 → « 2 h 05 », 45 → « 45 min »."""
    if not value:
        return "0 min"
    hours, rest = divmod(int(value), 60)
    return f"{hours} h {rest:02d}" if hours else f"{rest} min"


@register.simple_tag
def public_url(name: str, *args) -> str:
    """An absolute link for e-mails when PUBLIC_URL is set (else "": the mail says where to look)."""
    base = getattr(settings, "PUBLIC_URL", "")
    if not base:
        return ""
    try:
        return base.rstrip("/") + reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def plural_fr(value) -> str:
    """ "s" from 2 on: in French, 0 and 1 take the singular (« 0 collectivité intéressée »)."""
    try:
        return "s" if abs(int(value)) > 1 else ""
    except (TypeError, ValueError):
        return ""
