"""Statistics pages: the member's own figures, and every member's for operator staff."""

from datetime import date

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from bouquet.core.access import get_served, module_right, operator_view
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Authority
from bouquet.reporting import charts, exports
from bouquet.reporting.queries import Period, actes_figures, helios_figures

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


def _helios_model():
    """The HELIOS transaction model, once that context has one."""
    try:
        return apps.get_model("helios", "Transaction")
    except LookupError:
        return None


def _sections(scope, year: int, modules: set[str]) -> dict:
    """``scope(model)`` returns the model's rows the caller may see."""
    from bouquet.actes.models import Transaction as Acte

    period = Period.year(year)
    sections = {}
    if ModuleCode.ACTES in modules:
        sections["Actes"] = actes_figures(scope(Acte), period)
    helios = _helios_model()
    if ModuleCode.HELIOS in modules and helios is not None:
        sections["Hélios"] = helios_figures(scope(helios), period)
    return sections


def _chart(months, attribute: str):
    series = sorted({name for m in months for name in getattr(m, attribute)})
    columns = [(m.month.strftime("%m/%y"), getattr(m, attribute)) for m in months]
    return charts.stacked_bars(columns, series)


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
        blocks = []
        for module, months in sections.items():
            attribute = "by_nature" if module == "Actes" else "by_status"
            blocks.append(
                {
                    "module": module,
                    "months": months,
                    "chart": _chart(months, attribute),
                    "chart_caption": "par nature" if attribute == "by_nature" else "par état",
                    "total": sum(m.total for m in months),
                    "has_delays": any(m.delay_median_hours is not None for m in months),
                }
            )
        context["blocks"] = blocks
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
    sections = _sections(lambda model: model.objects.for_tenant(authority), year, readable)
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

    sections = _sections(scope, year, {ModuleCode.ACTES, ModuleCode.HELIOS})
    context = {
        "year": year,
        "members": members,
        "chosen": chosen,
        "staff": request.staff,
        "years": _recent_years(),
    }
    name = f"statistiques-{chosen.siren if chosen else 'operateur'}-{year}"
    return _respond(request, "reporting/operator.html", context, sections, name)
