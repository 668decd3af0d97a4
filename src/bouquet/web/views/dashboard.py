"""The member's home (the current authority's modules), the module pages and the authority switcher."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bouquet.core.access import module_right, require_module_access
from bouquet.core.choices import Access, AuthorityStatus
from bouquet.core.middleware import SESSION_KEY
from bouquet.core.models import Membership, Subscription
from bouquet.reporting.summary import blocks, sections_for
from bouquet.web.modules import CODE_TO_SLUG, DESCRIPTIONS, SLUGS, rights_sentence
from bouquet.web.views.auth import safe_next


@login_required
def home(request: HttpRequest) -> HttpResponse:
    authority = request.authority
    cards = []
    if authority is not None:
        subscriptions = Subscription.objects.for_tenant(authority).current().select_related("module")
        for sub in sorted(subscriptions, key=lambda s: s.module.code):
            right = module_right(request, sub.module.code)
            cards.append(
                {
                    "subscription": sub,
                    "slug": CODE_TO_SLUG.get(sub.module.code),
                    "rights": rights_sentence(right),
                    "can_read": right is not None and right.access != Access.NONE,
                }
            )
    readable = {c["subscription"].module.code for c in cards if c["can_read"]}
    stats = []
    if authority is not None:
        year = timezone.localdate().year
        scope = lambda model: model.objects.for_tenant(authority)  # noqa: E731
        stats = blocks(sections_for(scope, year, readable, with_delays=False))
    context = {
        "stats_blocks": stats,
        "stats_url": reverse("reporting:member"),
        "authority": authority,
        "membership": request.membership,
        "sirets": authority.sirets.all() if authority else [],
        "cards": cards,
    }
    return render(request, "web/home.html", context)


@login_required
def module_dashboard(request: HttpRequest, module: str) -> HttpResponse:
    code = SLUGS[module]
    subscription = None
    if request.authority is not None:
        subscription = (
            Subscription.objects.for_tenant(request.authority)
            .current()
            .filter(module__code=code)
            .select_related("module")
            .first()
        )
    if subscription is None:
        raise Http404("Votre collectivité n'est pas abonnée à ce module.")
    require_module_access(request, code)
    context = {
        "subscription": subscription,
        "module": subscription.module,
        "description": DESCRIPTIONS.get(code, ""),
        "rights": rights_sentence(module_right(request, code)),
    }
    return render(request, "web/module.html", context)


@login_required
@require_POST
def switch_authority(request: HttpRequest) -> HttpResponse:
    """Work for another of the user's authorities; anything but an active membership is a 404."""
    try:
        authority_id = int(request.POST.get("authority_id", ""))
    except ValueError:
        raise Http404 from None
    membership = (
        Membership.objects.filter(
            user=request.user,
            is_active=True,
            authority_id=authority_id,
            authority__status=AuthorityStatus.ACTIVE,
        )
        .select_related("authority")
        .first()
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.authority_id
    messages.info(request, f"Vous travaillez maintenant pour : {membership.authority.name}.")
    return redirect(safe_next(request, request.POST.get("next")))
