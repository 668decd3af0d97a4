"""The retours inbox: PES_Retour files the DGFiP sent to the current authority, read or not."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bouquet.core.access import get_for_user
from bouquet.helios.forms import RetourFilterForm
from bouquet.helios.models import Retour
from bouquet.helios.services import mark_retour_read
from bouquet.helios.views.common import actor_of, attachment, helios_view, keyset_page, require_helios

#: Domain blocks of a PES_Retour, in words.
BLOCKS = {
    "PES_DepenseRetour": "Dépenses",
    "PES_RecetteRetour": "Recettes",
    "PES_AsapRetour": "Avis des sommes à payer",
    "PES_ClientRetour": "Tiers",
}


def contents(retour: Retour) -> str:
    """« Dépenses (2 bordereaux), Recettes » from the blocks the reception recorded."""
    parts = []
    for block in retour.blocks if isinstance(retour.blocks, list) else []:
        label = BLOCKS.get(str(block.get("tag")), str(block.get("tag", "")).removeprefix("PES_"))
        count = block.get("bordereaux") or 0
        parts.append(f"{label} ({count} bordereau{'x' if count > 1 else ''})" if count else label)
    return ", ".join(parts) or "—"


@helios_view
@require_GET
def retour_list(request: HttpRequest) -> HttpResponse:
    form = RetourFilterForm(request.GET or None)
    unread_only = form.is_valid() and form.cleaned_data["unread"]
    retours = Retour.objects.for_tenant(request.authority)
    if unread_only:
        retours = retours.unread()
    page = keyset_page(request, retours, "received_at")
    for retour in page.object_list:
        retour.contents = contents(retour)
    context = {
        "form": form,
        "page": page,
        "unread_only": unread_only,
        "unread": Retour.objects.for_tenant(request.authority).unread().count(),
    }
    return render(request, "helios/retours.html", context)


@login_required
@require_GET
def download_retour(request: HttpRequest, pk: int) -> HttpResponse:
    """The PES_Retour as received; downloading it marks it read (S²LOW's ``helios_change_status``)."""
    retour = get_for_user(request, Retour.objects.select_related("authority"), pk=pk)
    require_helios(request, retour.authority)
    data = retour.read()
    if not retour.is_read:
        mark_retour_read(retour=retour, actor=actor_of(request))
    return attachment(data, retour.filename or f"PES_Retour_{retour.pk}.xml")
