"""Statistics pages: the member's own figures, and every member's for operator staff."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from bouquet.core.access import get_served, module_right, operator_view
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Authority
from bouquet.reporting import exports
from bouquet.reporting.summary import blocks, sections_for

FIRST_YEAR = 2000


def _year(request: HttpRequest) -> int:
    """The year asked for (?annee=), this year by default; anything odd is a 404, not a 500."""
    today = date.today()
    raw = request.GET.get("annee", "")
    if not raw:
        return today.year
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= today.year + 1:
        raise Http404("Année inconnue.")
    return int(raw)


def _recent_years() -> range:
    return range(date.today().year, date.today().year - 5, -1)


def _respond(request, template: str, context: dict, sections: dict, filename: str) -> HttpResponse:
    fmt = request.GET.get("format")
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(sections), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(sections),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        context["blocks"] = blocks(sections)
        return render(request, template, context)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def member_statistics(request: HttpRequest) -> HttpResponse:
    authority = request.authority
    if authority is None:
        raise Http404("Aucune collectivité sélectionnée.")
    readable = {
        code
        for code in (ModuleCode.ACTES, ModuleCode.HELIOS)
        if (right := module_right(request, code)) is not None and right.access != Access.NONE
    }
    year = _year(request)
    sections = sections_for(lambda model: model.objects.for_tenant(authority), year, readable)
    context = {"year": year, "authority": authority, "years": _recent_years()}
    filename = f"statistiques-{authority.siren}-{year}"
    return _respond(request, "reporting/member.html", context, sections, filename)


@operator_view
def operator_statistics(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    members = Authority.objects.served_by(request.user).order_by("name")
    chosen = None
    if raw := request.GET.get("collectivite"):
        if not raw.isdigit():
            raise Http404
        chosen = get_served(request, Authority.objects, pk=int(raw))

    def scope(model):
        rows = model.objects.served_by(request.user)
        return rows.filter(authority=chosen) if chosen else rows

    sections = sections_for(scope, year, {ModuleCode.ACTES, ModuleCode.HELIOS})
    context = {
        "year": year,
        "members": members,
        "chosen": chosen,
        "staff": request.staff,
        "years": _recent_years(),
    }
    name = f"statistiques-{chosen.siren if chosen else 'operateur'}-{year}"
    return _respond(request, "reporting/operator.html", context, sections, name)
