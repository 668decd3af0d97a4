"""Consultations imported from a previous platform: search, detail, and the Excel import."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from bouquet.core.choices import Access
from bouquet.marches.contracts.errors import HistoryImportError, RightsError
from bouquet.marches.contracts.forms import HistoryImportForm
from bouquet.marches.contracts.history_excel import COLUMNS
from bouquet.marches.contracts.models import ImportedConsultation
from bouquet.marches.contracts.services.import_history import import_history
from bouquet.marches.contracts.views.common import buyer_view, get_object, require_access

PAGE_SIZE = 50


@buyer_view
@require_GET
def history_list(request: HttpRequest) -> HttpResponse:
    access = require_access(request, request.authority)
    query = request.GET.get("q", "")[:200]
    rows = ImportedConsultation.objects.for_tenant(request.authority).search(query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "marches_contracts/history_list.html",
        {"page": page, "query": query, "can_write": access == Access.WRITE},
    )


@buyer_view
@require_GET
def history_detail(request: HttpRequest, pk: int) -> HttpResponse:
    imported = get_object(request, ImportedConsultation.objects.all(), pk)
    return render(request, "marches_contracts/history_detail.html", {"imported": imported})


def _columns_help() -> list[tuple[str, list[str]]]:
    return [(label, list(aliases)) for _kind, label, aliases in COLUMNS.values()]


@buyer_view
@require_http_methods(["GET", "POST"])
def history_import(request: HttpRequest) -> HttpResponse:
    require_access(request, request.authority, write=True)
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_history(
                authority=request.authority, actor=request.user, data=upload.read(), filename=upload.name
            )
        except RightsError as exc:
            raise PermissionDenied(exc.message) from None
        except HistoryImportError as exc:
            form.add_error("file", exc.message)
            problems = exc.problems
        else:
            messages.success(
                request,
                f"{report.created} consultation(s) importée(s) ; "
                f"{report.already} déjà présente(s), laissée(s) telle(s) quelle(s).",
            )
    return render(
        request,
        "marches_contracts/history_import.html",
        {"form": form, "problems": problems, "report": report, "columns": _columns_help()},
    )
