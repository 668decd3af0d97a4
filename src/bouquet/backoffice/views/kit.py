"""The convention kit: preview a member's documents, e-mail the kit to a selection of members."""

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from bouquet.backoffice.choices import (
    KIT_DOCUMENTS,
    ConventionKind,
    ConventionModule,
    ConventionStatus,
)
from bouquet.backoffice.documents.kit import FILE_NAMES, build_kit
from bouquet.backoffice.forms import KitForm
from bouquet.backoffice.memberships import with_status
from bouquet.backoffice.models import Convention
from bouquet.backoffice.services.convention_kit import send_convention_kit
from bouquet.backoffice.views.common import can_edit, require_admin, served
from bouquet.core.access import get_served, operator_view
from bouquet.core.audit import Actor
from bouquet.core.models import Authority

#: URL slug → document: the words of the file names, never a user value.
DOCUMENT_SLUGS = {slug: kind for kind, slug in FILE_NAMES.items()}


def kit_links() -> list[tuple[str, str]]:
    """(URL slug, label) of each kit document, in kit order."""
    return [(FILE_NAMES[kind], kind.label) for kind in KIT_DOCUMENTS]


def _kit_candidates(request: HttpRequest):
    """Members with their ACTES situation: a signed convention in force, an amendment under way."""
    today = timezone.localdate()
    actes = Convention.objects.filter(authority=OuterRef("pk"), module=ConventionModule.ACTES)
    signed = actes.filter(
        kind=ConventionKind.CONVENTION, status=ConventionStatus.SIGNED, effective_from__lte=today
    ).filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
    pending = actes.filter(kind=ConventionKind.AMENDMENT).exclude(status=ConventionStatus.SIGNED)
    amended = actes.filter(kind=ConventionKind.AMENDMENT, status=ConventionStatus.SIGNED)
    return (
        with_status(served(request), today)
        .annotate(has_convention=Exists(signed), amendment_pending=Exists(pending), amended=Exists(amended))
        .order_by("name")
    )


@operator_view
@require_http_methods(["GET", "POST"])
def kit(request: HttpRequest) -> HttpResponse:
    form = KitForm(served=served(request))
    if request.method == "POST":
        require_admin(request)
        form = KitForm(request.POST, served=served(request))
        if form.is_valid():
            results = send_convention_kit(
                authorities=form.cleaned_data["authorities"].select_related("operator"),
                actor=Actor.of_user(request.user),
            )
            for result in results:
                if result.error:
                    messages.warning(request, f"{result.authority.name} : kit non envoyé ({result.error}).")
                else:
                    who = ", ".join(result.recipients)
                    messages.success(request, f"{result.authority.name} : kit envoyé à {who}.")
            return redirect("backoffice:kit")
    context = {
        "form": form,
        "members": _kit_candidates(request),
        "documents": kit_links(),
        "can_edit": can_edit(request),
    }
    return render(request, "backoffice/kit.html", context)


@operator_view
@require_GET
def kit_document(request: HttpRequest, pk: int, document: str) -> HttpResponse:
    authority = get_served(request, Authority.objects.select_related("operator"), pk=pk)
    kind = DOCUMENT_SLUGS.get(document)
    if kind is None:
        raise Http404
    generated = build_kit(authority, kinds=(kind,))[0]
    response = HttpResponse(generated.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{generated.filename}"'
    return response
