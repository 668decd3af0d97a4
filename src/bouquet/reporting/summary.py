"""The figures of a year per transmission module, ready for a page: what the statistics pages and
the dashboards show."""

from django.apps import apps

from bouquet.core.choices import ModuleCode
from bouquet.reporting import charts
from bouquet.reporting.queries import Period, actes_figures, helios_figures

__all__ = ["blocks", "sections_for"]


def _helios_model():
    try:
        return apps.get_model("helios", "Transaction")
    except LookupError:
        return None


def sections_for(scope, year: int, modules: set[str], *, with_delays: bool = True) -> dict:
    """``scope(model)`` returns the rows of ``model`` the caller may see."""
    from bouquet.actes.models import Transaction as Acte

    period = Period.year(year)
    sections = {}
    if ModuleCode.ACTES in modules:
        sections["Actes"] = actes_figures(scope(Acte), period, with_delays=with_delays)
    helios = _helios_model()
    if ModuleCode.HELIOS in modules and helios is not None:
        sections["Hélios"] = helios_figures(scope(helios), period)
    return sections


def _chart(months, attribute: str):
    series = sorted({name for m in months for name in getattr(m, attribute)})
    columns = [(m.month.strftime("%m/%y"), getattr(m, attribute)) for m in months]
    return charts.stacked_bars(columns, series)


def blocks(sections: dict) -> list[dict]:
    result = []
    for module, months in sections.items():
        attribute = "by_nature" if module == "Actes" else "by_status"
        result.append(
            {
                "module": module,
                "months": months,
                "chart": _chart(months, attribute),
                "chart_caption": "par nature" if attribute == "by_nature" else "par état",
                "total": sum(m.total for m in months),
                "has_delays": any(m.delay_median_hours is not None for m in months),
            }
        )
    return result
