"""What the bids PDFs share: styles, tables, sizes and dates written the French way."""

from __future__ import annotations

import io
from datetime import datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

__all__ = ["PARIS", "Styles", "build", "euros", "human_size", "key_values", "local", "p", "table"]

PARIS = ZoneInfo("Europe/Paris")
WIDTH = 180 * mm


def human_size(size: int) -> str:
    """``532 o``, ``12,5 Ko``, ``3,2 Mo``."""
    if size < 1024:
        return f"{size} o"
    for unit, factor in (("Ko", 1024), ("Mo", 1024**2), ("Go", 1024**3)):
        if size < factor * 1024 or unit == "Go":
            return f"{size / factor:.1f}".replace(".", ",") + f" {unit}"
    raise AssertionError("unreachable")


def euros(amount) -> str:
    """``125 000,00 €`` (narrow no-break space between thousands, as French typography wants)."""
    text = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €"


def local(moment: datetime | None, seconds: bool = True) -> str:
    """``27/11/2026 à 16:59:58 (heure de Paris)``."""
    if moment is None:
        return ""
    value = moment.astimezone(PARIS)
    return value.strftime("%d/%m/%Y à %H:%M:%S" if seconds else "%d/%m/%Y à %H:%M") + " (heure de Paris)"


class Styles:
    def __init__(self) -> None:
        base = getSampleStyleSheet()
        self.title = ParagraphStyle("title", parent=base["Title"], fontSize=15, spaceAfter=3 * mm)
        self.heading = ParagraphStyle(
            "heading", parent=base["Heading2"], fontSize=11, spaceBefore=4 * mm, spaceAfter=2 * mm
        )
        self.text = ParagraphStyle("text", parent=base["BodyText"], fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", parent=self.text, fontSize=7.5, leading=9)
        self.cell = ParagraphStyle("cell", parent=self.text, fontSize=8, leading=10)
        self.label = ParagraphStyle("label", parent=self.cell, fontName="Helvetica-Bold")
        self.mono = ParagraphStyle("mono", parent=self.cell, fontName="Courier", fontSize=7.2, leading=9)
        self.alert = ParagraphStyle(
            "alert", parent=self.text, textColor=colors.HexColor("#9b1c1c"), fontName="Helvetica-Bold"
        )


def p(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


def key_values(rows: list[tuple[str, str]], styles: Styles) -> Table:
    table = Table([[p(k, styles.label), p(v, styles.cell)] for k, v in rows], colWidths=[50 * mm, 130 * mm])
    table.setStyle(_GRID)
    return table


def table(header: list[str], rows: list[list], widths: list[float], styles: Styles) -> Table:
    data = [[p(h, styles.label) for h in header]]
    data += [[cell if not isinstance(cell, str) else p(cell, styles.cell) for cell in row] for row in rows]
    result = Table(data, colWidths=widths, repeatRows=1)
    result.setStyle(
        TableStyle([*_GRID.getCommands(), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5"))])
    )
    return result


_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)


def build(story: list, *, title: str, footer: str) -> bytes:
    """Render ``story`` on A4 with a footer; the output is byte-identical for identical input."""
    buffer = io.BytesIO()

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(15 * mm, 8 * mm, footer[:160])
        canvas.drawRightString(195 * mm, 8 * mm, f"page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Bouquet",
        creator="Bouquet",
        invariant=1,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
