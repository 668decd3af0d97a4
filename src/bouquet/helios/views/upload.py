"""Depositing a PES: upload (progress bar), immediate pre-flight report, then confirmation.

The first POST runs the ``preflight`` service and changes nothing in the platform's records: a refused
file shows why and is dropped; an accepted one waits in the staging folder (``staging.py``) until the
user confirms, and only the confirmation calls ``upload_pes`` (which runs every check again).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from bouquet.helios.choices import Status
from bouquet.helios.errors import HeliosRefusal, HeliosServiceError, RightsError
from bouquet.helios.forms import ConfirmForm, UploadForm
from bouquet.helios.services import preflight, upload_pes
from bouquet.helios.services.common import P_DEST_MISSING, p_dest_of
from bouquet.helios.services.upload_pes import clean_filename
from bouquet.helios.views.common import NO_CS, actor_of, done, helios_view, require_helios
from bouquet.helios.views.preflight import PreflightView, arrange
from bouquet.helios.views.staging import StagingError, discard, read_staged, stage

SENT = {
    Status.POSTE: "Le fichier {name} est enregistré : il part vers la DGFiP dans quelques minutes.",
    Status.EN_ATTENTE_TELETRANSMISSION: (
        "Le fichier {name} est enregistré ; il attend maintenant qu'un agent télétransmetteur l'envoie."
    ),
    Status.EN_ATTENTE_SIGNATURE: "Le fichier {name} est enregistré ; il attend sa signature.",
}


def _context(request: HttpRequest, form: UploadForm, report: PreflightView | None = None, ticket: str = ""):
    rights = request.helios_rights
    return {
        "p_dest_missing": "" if p_dest_of(request.authority) else P_DEST_MISSING,
        "form": form,
        "report": report,
        "confirm_form": ConfirmForm(initial={"ticket": ticket}) if ticket else None,
        "can_prepare": rights.can_prepare,
        "can_transmit": rights.can_transmit,
    }


def _require_cs(request: HttpRequest) -> None:
    require_helios(request, request.authority, write=True)
    if not request.helios_rights.can_prepare:
        raise PermissionDenied(NO_CS)


@helios_view
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "helios/upload.html", _context(request, UploadForm()))
    _require_cs(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "helios/upload.html", _context(request, form), status=400)
    upload_file = form.cleaned_data["fichier"]
    name = clean_filename(upload_file.name)
    report = preflight(upload_file, filename=name, authority=request.authority)
    ticket = ""
    if report.accepted:
        ticket = stage(
            upload_file, sha256=report.sha256, file_name=name, user=request.user, authority=request.authority
        )
    context = _context(request, UploadForm(), arrange(report), ticket)
    return render(request, "helios/upload.html", context, status=200 if report.accepted else 422)


@helios_view
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    _require_cs(request)
    form = ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise StagingError("Confirmation invalide : déposez de nouveau le fichier.")
        staged, data = read_staged(
            form.cleaned_data["ticket"], user=request.user, authority=request.authority
        )
    except StagingError as exc:
        messages.error(request, exc.message)
        return redirect("helios:upload")
    try:
        transaction = upload_pes(
            authority=request.authority, actor=actor_of(request), filename=staged.file_name, data=data
        )
    except RightsError as exc:
        raise PermissionDenied(exc.message) from None
    except HeliosRefusal as exc:
        # Something changed since the report (the same file deposited meanwhile…): say what.
        discard(staged)
        messages.error(request, "Le fichier n'a pas été enregistré : " + " ".join(str(i) for i in exc.items))
        return redirect("helios:upload")
    except HeliosServiceError as exc:
        discard(staged)
        messages.error(request, exc.message)
        return redirect("helios:upload")
    discard(staged)
    messages.success(
        request,
        SENT.get(transaction.status, "Le fichier {name} est enregistré.").format(name=staged.file_name),
    )
    return done(request, reverse("helios:detail", args=[transaction.pk]))
