"""Spreadsheet exports (CSV for any tool, Excel with openpyxl) of fee calls and aids.

CSV is written the way French spreadsheet software opens it directly: UTF-8 with a BOM, ``;``
between columns, decimal comma. Cells that a spreadsheet would run as a formula are prefixed
with an apostrophe (CSV injection).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from bouquet.backoffice.eligibility import AidRow
from bouquet.backoffice.fees import MemberFee
from bouquet.core.choices import AuthorityKind

__all__ = ["Table", "aid_table", "csv_bytes", "fee_call_table", "response", "xlsx_bytes"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '#,##0.00" €"'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Table:
    """A title, column headers and rows of plain values (str, int, Decimal, date, None)."""

    def __init__(self, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> None:
        self.title, self.headers, self.rows = title, list(headers), [list(row) for row in rows]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.title[:31])
    header_cells = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in table.rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=…" stays text, never a formula
            elif isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(table: Table, filename: str, fmt: str) -> HttpResponse:
    """The table as a download; ``fmt`` is ``csv`` or ``xlsx`` and ``filename`` is ours (ASCII)."""
    if fmt == "xlsx":
        resp = HttpResponse(xlsx_bytes(table), content_type=XLSX)
    else:
        resp = HttpResponse(csv_bytes(table), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp


def fee_call_table(fees: Sequence[MemberFee], year: int, module_codes: Sequence[str]) -> Table:
    """One row per member: identity, one column per service, total; the issued call if any."""
    headers = ["Numéro d'appel", "Collectivité", "SIREN", "Nature", "Population"]
    headers += [f"Cotisation {code}" for code in module_codes] + [
        "Total calculé",
        "Montant appelé",
        "Émis le",
    ]
    rows = []
    for fee in fees:
        by_module = {line.module_code: line.amount for line in fee.lines}
        authority = fee.authority
        rows.append(
            [
                fee.issued.number if fee.issued else "",
                authority.name,
                authority.siren,
                AuthorityKind(authority.kind).label,
                authority.population,
                *[by_module.get(code) for code in module_codes],
                fee.total,
                fee.issued.amount if fee.issued else None,
                fee.issued.issued_at.date() if fee.issued else None,
            ]
        )
    return Table(f"Cotisations {year}", headers, rows)


def aid_table(rows: Sequence[AidRow], aid_name: str, on: date) -> Table:
    headers = [
        "Collectivité",
        "SIREN",
        "Nature",
        "Population",
        f"Éligible au {on:%d/%m/%Y}",
        "Versé",
        "Dernier versement",
    ]
    return Table(
        aid_name,
        headers,
        [
            [
                row.authority.name,
                row.authority.siren,
                AuthorityKind(row.authority.kind).label,
                row.authority.population,
                "oui" if row.eligible else "non",
                row.paid,
                row.last_paid_on,
            ]
            for row in rows
        ],
    )
