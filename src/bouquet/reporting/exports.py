"""The figures of a statistics page as CSV or Excel: one row per month, module and measure."""

import csv
import io

from openpyxl import Workbook

from bouquet.reporting.queries import MonthFigures

HEADER = ["module", "mois", "mesure", "catégorie", "valeur"]


def rows(sections: dict[str, list[MonthFigures]]):
    for module, months in sections.items():
        for m in months:
            month = m.month.strftime("%Y-%m")
            yield [module, month, "total", "", m.total]
            for nature, n in sorted(m.by_nature.items()):
                yield [module, month, "nature", nature, n]
            for status, n in sorted(m.by_status.items()):
                yield [module, month, "état", status, n]
            if m.delay_median_hours is not None:
                yield [module, month, "délai médian envoi → AR (heures)", "", m.delay_median_hours]
                yield [module, month, "délai maximal envoi → AR (heures)", "", m.delay_max_hours]


def to_csv(sections: dict[str, list[MonthFigures]]) -> bytes:
    """UTF-8 with BOM and semicolons: what French spreadsheet software opens without a wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows(sections))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sections: dict[str, list[MonthFigures]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Statistiques"
    sheet.append(HEADER)
    for row in rows(sections):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
