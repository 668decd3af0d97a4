"""The Excel summary of a consultation's archive (openpyxl): one sheet per register."""

import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

__all__ = ["Sheet", "workbook_bytes"]

BOLD = Font(bold=True)


class Sheet:
    """A named table: headers and rows of plain values."""

    def __init__(self, title: str, headers: list[str], rows: Iterable[Iterable[Any]]) -> None:
        self.title, self.headers, self.rows = title[:31], headers, rows


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: written in Europe/Paris, as the pages show them.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if value is None or isinstance(value, int | float | date):
        return value
    return str(value)


def _cell(ws, value: Any, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=_value(value))
    if isinstance(cell.value, str):
        # A company name or a question starting with "=" stays text, never a formula.
        cell.data_type = "s"
    if isinstance(cell.value, datetime):
        cell.number_format = "DD/MM/YYYY HH:MM:SS"
    elif isinstance(cell.value, date):
        cell.number_format = "DD/MM/YYYY"
    if bold:
        cell.font = BOLD
    return cell


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """The .xlsx file (write-only mode: memory stays flat whatever the number of rows)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title)
        ws.append([_cell(ws, h, bold=True) for h in sheet.headers])
        for row in sheet.rows:
            ws.append([_cell(ws, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
