"""Lots and DCE documents of a draft, and the buyer's own download of any document version."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.marches.errors import MarchesError
from bouquet.marches.forms import DceUploadForm, LotForm
from bouquet.marches.services.manage_dce import add_dce_file, remove_dce_file
from bouquet.marches.services.manage_lots import add_lot, remove_lot, update_lot
from bouquet.marches.views.common import back_to_detail, buyer_view, get_consultation, show_error


def _lot(consultation, lot_pk: int):
    lot = consultation.lots.filter(pk=lot_pk).first()
    if lot is None:
        raise Http404
    return lot


def _file(consultation, file_pk: int):
    dce_file = consultation.dce_files.filter(pk=file_pk).first()
    if dce_file is None:
        raise Http404
    return dce_file


@buyer_view
@require_POST
def lot_add(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    form = LotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back_to_detail(consultation)
    try:
        lot = add_lot(consultation=consultation, actor=request.user, data=form.cleaned_data)
    except MarchesError as error:
        show_error(request, error)
    else:
        messages.success(request, f"Lot n° {lot.number} ajouté.")
    return back_to_detail(consultation)


@buyer_view
@require_http_methods(["GET", "POST"])
def lot_edit(request: HttpRequest, pk: int, lot_pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    lot = _lot(consultation, lot_pk)
    initial = {
        "number": lot.number,
        "object": lot.object,
        "cpv": lot.cpv,
        "estimated_amount": lot.estimated_amount,
    }
    form = LotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_lot(lot=lot, actor=request.user, data=form.cleaned_data)
        except MarchesError as error:
            show_error(request, error, form)
        else:
            messages.success(request, f"Lot n° {lot.number} enregistré.")
            return back_to_detail(consultation)
    return render(request, "marches/lot_edit.html", {"consultation": consultation, "lot": lot, "form": form})


@buyer_view
@require_POST
def lot_delete(request: HttpRequest, pk: int, lot_pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    lot = _lot(consultation, lot_pk)
    try:
        remove_lot(lot=lot, actor=request.user)
    except MarchesError as error:
        show_error(request, error)
    else:
        messages.success(request, "Lot supprimé.")
    return back_to_detail(consultation)


@buyer_view
@require_POST
def dce_upload(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    form = DceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back_to_detail(consultation)
    added = []
    for upload in form.cleaned_data["files"]:
        try:
            added.append(
                add_dce_file(
                    consultation=consultation,
                    actor=request.user,
                    upload=upload,
                    description=form.cleaned_data["description"],
                )
            )
        except MarchesError as error:
            show_error(request, error)
    if added:
        names = ", ".join(f.name for f in added)
        messages.success(request, f"Ajouté au DCE : {names}.")
    return back_to_detail(consultation)


@buyer_view
@require_POST
def dce_delete(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    dce_file = _file(consultation, file_pk)
    try:
        remove_dce_file(dce_file=dce_file, actor=request.user)
    except MarchesError as error:
        show_error(request, error)
    else:
        messages.success(request, f"« {dce_file.name} » retiré du DCE.")
    return back_to_detail(consultation)


@buyer_view
@require_GET
def dce_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """The buyer's copy of any version (the buyer's downloads are not in the register)."""
    consultation = get_consultation(request, pk)
    dce_file = _file(consultation, file_pk)
    return FileResponse(
        dce_file.open(), as_attachment=True, filename=dce_file.name, content_type=dce_file.mime_type
    )


def _form_errors(form) -> str:
    texts = [str(error) for errors in form.errors.values() for error in errors]
    return " ".join(texts) or "Le formulaire contient des erreurs."
