"""Conventions with the préfecture: the list, one convention with its history and files, changes."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.forms import (
    ConventionCreateForm,
    ConventionEditForm,
    ConventionFilterForm,
    ConventionStatusForm,
    ConventionUploadForm,
)
from bouquet.backoffice.models import Convention, ConventionFile
from bouquet.backoffice.services.attach_convention_file import attach_convention_file
from bouquet.backoffice.services.conventions import (
    change_convention_status,
    create_convention,
    update_convention,
)
from bouquet.backoffice.uploads import read_stored
from bouquet.backoffice.views.common import can_edit, form_errors, paginate, require_admin, served
from bouquet.core.access import get_served, operator_view
from bouquet.core.audit import Actor
from bouquet.core.models import Authority


@operator_view
@require_GET
def convention_list(request: HttpRequest) -> HttpResponse:
    form = ConventionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    conventions = Convention.objects.filter(authority__in=served(request)).select_related("authority")
    if q := data.get("q", "").strip():
        conventions = conventions.filter(Q(authority__name__icontains=q) | Q(authority__siren__startswith=q))
    for field in ("module", "kind", "status"):
        if data.get(field):
            conventions = conventions.filter(**{field: data[field]})
    page = paginate(request, conventions.order_by("authority__name", "module", "created_at", "id"))
    return render(
        request, "backoffice/conventions.html", {"form": form, "page": page, "filtered": any(data.values())}
    )


@operator_view
@require_http_methods(["GET", "POST"])
def convention_create(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_served(request, Authority.objects.select_related("operator"), pk=pk)
    form = ConventionCreateForm(authority=authority)
    if request.method == "POST":
        require_admin(request)
        form = ConventionCreateForm(request.POST, authority=authority)
        if form.is_valid():
            try:
                convention = create_convention(
                    authority=authority, actor=Actor.of_user(request.user), **form.cleaned_data
                )
            except BackofficeError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, f"{convention.get_kind_display()} {convention.module} créée : à préparer."
                )
                return redirect("backoffice:convention", pk=convention.pk)
    context = {"authority": authority, "form": form, "can_edit": can_edit(request)}
    return render(request, "backoffice/convention_new.html", context)


def _get(request: HttpRequest, pk: int) -> Convention:
    return get_served(request, Convention.objects.select_related("authority", "amends"), pk=pk)


@operator_view
@require_GET
def convention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    convention = _get(request, pk)
    today = timezone.localdate()
    context = {
        "convention": convention,
        "events": convention.events.all(),
        "files": convention.files.select_related("uploaded_by"),
        "amendments": convention.amendments.all(),
        "status_form": ConventionStatusForm(initial={"on": today}),
        "edit_form": ConventionEditForm(
            initial={
                "subject": convention.subject,
                "reference": convention.reference,
                "notes": convention.notes,
                "effective_until": convention.effective_until,
            }
        ),
        "upload_form": ConventionUploadForm(),
        "can_edit": can_edit(request),
    }
    return render(request, "backoffice/convention.html", context)


@operator_view
@require_POST
def convention_status(request: HttpRequest, pk: int) -> HttpResponse:
    convention = _get(request, pk)
    require_admin(request)
    form = ConventionStatusForm(request.POST)
    if form.is_valid():
        try:
            convention = change_convention_status(
                convention=convention, actor=Actor.of_user(request.user), **form.cleaned_data
            )
        except BackofficeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"État enregistré : {convention.get_status_display().lower()}.")
    else:
        form_errors(request, form)
    return redirect("backoffice:convention", pk=convention.pk)


@operator_view
@require_POST
def convention_edit(request: HttpRequest, pk: int) -> HttpResponse:
    convention = _get(request, pk)
    require_admin(request)
    form = ConventionEditForm(request.POST)
    if form.is_valid():
        try:
            update_convention(convention=convention, actor=Actor.of_user(request.user), **form.cleaned_data)
        except BackofficeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Convention mise à jour.")
    else:
        form_errors(request, form)
    return redirect("backoffice:convention", pk=convention.pk)


@operator_view
@require_POST
def convention_upload(request: HttpRequest, pk: int) -> HttpResponse:
    convention = _get(request, pk)
    require_admin(request)
    form = ConventionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            row = attach_convention_file(
                convention=convention,
                uploaded=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                actor=Actor.of_user(request.user),
            )
        except BackofficeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Fichier « {row.original_name} » ajouté.")
    else:
        form_errors(request, form)
    return redirect("backoffice:convention", pk=convention.pk)


@operator_view
@require_GET
def convention_file(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_served(request, ConventionFile.objects.select_related("authority"), pk=pk)
    data = read_stored(row.path, row.sha256)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, row.original_name)
    return response
