"""Turn an editable text into a PDF with reportlab. Pure: no Django, no database.

The template is split into blocks *before* values are substituted, so a value (an address, a
name typed by someone else) can never add a heading or a table row, and every piece is escaped
before it reaches reportlab's paragraph markup.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bouquet.backoffice.documents.placeholders import substitute

__all__ = ["Block", "parse_blocks", "render_pdf"]

BLOCK_SEPARATOR = re.compile(r"\n[ \t]*\n")
CELL_SEPARATOR = " :: "


@dataclass(frozen=True)
class Block:
    """A heading, a paragraph, a bullet list or a two-column table, still with its placeholders."""

    kind: str
    items: tuple


def _bullets(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if line.startswith("- ") or not items:
            items.append(line.removeprefix("- "))
        else:  # a continuation line of the previous bullet
            items[-1] += "\n" + line
    return items


def parse_blocks(text: str) -> list[Block]:
    """Split an editable text into blocks (markup: see ``documents.defaults``)."""
    blocks: list[Block] = []
    for chunk in BLOCK_SEPARATOR.split(text.replace("\r\n", "\n").strip("\n")):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("# "):
            blocks.append(Block("heading", (lines.pop(0)[2:].strip(),)))
            if not lines:
                continue
        if lines[0].startswith("- "):
            blocks.append(Block("bullets", tuple(_bullets(lines))))
        elif all(CELL_SEPARATOR in line for line in lines):
            rows = tuple(tuple(part.strip() for part in line.split(CELL_SEPARATOR, 1)) for line in lines)
            blocks.append(Block("table", rows))
        else:
            blocks.append(Block("paragraph", ("\n".join(lines),)))
    return blocks


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=10.5, leading=14)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontSize=15, leading=19, alignment=0),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName="Helvetica-Bold", fontSize=11.5, spaceBefore=6
        ),
        "body": body,
        "label": ParagraphStyle("label", parent=body, fontName="Helvetica-Bold"),
        "header": ParagraphStyle("header", parent=body, fontSize=8.5, textColor=colors.grey),
    }


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _flowables(blocks: list[Block], fill: Callable[[str], str], styles) -> list:
    story: list = []
    for block in blocks:
        if block.kind == "heading":
            story.append(Paragraph(_markup(fill(block.items[0])), styles["heading"]))
        elif block.kind == "paragraph":
            story.append(Paragraph(_markup(fill(block.items[0])), styles["body"]))
        elif block.kind == "bullets":
            items = [
                ListItem(Paragraph(_markup(fill(item)), styles["body"]), leftIndent=12)
                for item in block.items
            ]
            story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12))
        else:
            rows = [
                [
                    Paragraph(_markup(fill(label)), styles["label"]),
                    Paragraph(_markup(fill(value)), styles["body"]),
                ]
                for label, value in block.items
            ]
            table = Table(rows, colWidths=[60 * mm, 110 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                    ]
                )
            )
            story.append(table)
        story.append(Spacer(1, 3 * mm))
    return story


def render_pdf(
    *, title: str, body: str, values: Mapping[str, str], header: str = "", footer: str = ""
) -> bytes:
    """The PDF of one document: ``title`` and ``body`` are templates filled with ``values``."""
    styles = _styles()
    buffer = io.BytesIO()
    filled_title = substitute(title, values)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=filled_title,
        author=header,
    )

    def page_footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(20 * mm, 10 * mm, f"{footer} — page {document.page}".strip(" —"))
        canvas.restoreState()

    story: list = []
    if header:
        story.append(Paragraph(_markup(header), styles["header"]))
    story.append(Paragraph(_markup(filled_title), styles["title"]))
    story += _flowables(parse_blocks(body), lambda text: substitute(text, values), styles)
    doc.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return buffer.getvalue()
