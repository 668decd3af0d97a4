"""The "bordereau d'acquittement de transaction" (spec §6.2), drawn with reportlab.

Same sections as S²LOW's ``ActesPdf``: the authority and the user, the transaction's parameters,
the acknowledgement (sent, received by the préfecture, IDActe), the files of the archive, and the
transaction's life cycle. Pure: the Django side builds a :class:`BordereauData`
(``bouquet.actes.pdf.documents.transaction_bordereau``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

__all__ = ["BordereauData", "BordereauEvent", "BordereauFile", "bordereau_pdf", "human_size"]

TITLE = "Bordereau d'acquittement de transaction"


@dataclass(frozen=True)
class BordereauFile:
    """A file of the archive sent to the ministry."""

    #: Name as uploaded by the user.
    original_name: str
    #: @ctes business name (``99_DE-…``), empty if none.
    business_name: str
    mime_type: str
    size: int
    sha256: str = ""


@dataclass(frozen=True)
class BordereauEvent:
    """One row of the life cycle: status label, date, message."""

    status: str
    at: datetime
    message: str


@dataclass(frozen=True)
class BordereauData:
    """Everything the bordereau shows, already as text (labels, not codes)."""

    authority: str
    siren: str
    user: str
    transaction_type: str
    nature: str
    number: str
    subject: str
    decision_date: date | None = None
    document_papier: bool = False
    #: ``1.2 - libellé`` (codes and label of the deepest subject).
    classification: str = ""
    id_acte: str = ""
    status: str = ""
    sent_at: date | None = None
    #: ``ARActe/@DateReception`` (a date) or the date of the acknowledgement entry.
    received_at: date | None = None
    archive_url: str = ""
    notification: str = ""
    files: tuple[BordereauFile, ...] = ()
    history: tuple[BordereauEvent, ...] = ()
    generated_at: datetime | None = None
    platform: str = "Bouquet"
    extra: dict[str, str] = field(default_factory=dict)


def human_size(size: int) -> str:
    """``532 o``, ``12,5 Ko``, ``3,2 Mo`` (French decimal comma, as S²LOW shows sizes)."""
    if size < 1024:
        return f"{size} o"
    for unit, factor in (("Ko", 1024), ("Mo", 1024**2), ("Go", 1024**3)):
        if size < factor * 1024 or unit == "Go":
            return f"{size / factor:.1f}".replace(".", ",") + f" {unit}"
    raise AssertionError("unreachable")


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _dt(value: date | None) -> str:
    if not isinstance(value, datetime):
        return _d(value)
    return value.strftime("%d/%m/%Y %H:%M:%S")


class _Styles:
    def __init__(self) -> None:
        base = getSampleStyleSheet()
        self.title = ParagraphStyle("title", parent=base["Title"], fontSize=16, spaceAfter=4 * mm)
        self.heading = ParagraphStyle(
            "heading", parent=base["Heading2"], fontSize=11.5, spaceBefore=5 * mm, spaceAfter=2 * mm
        )
        self.text = ParagraphStyle("text", parent=base["BodyText"], fontSize=9, leading=11)
        self.cell = ParagraphStyle("cell", parent=self.text, fontSize=8, leading=10)
        self.label = ParagraphStyle("label", parent=self.cell, fontName="Helvetica-Bold")


def _p(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


def _key_values(rows: list[tuple[str, str]], styles: _Styles) -> Table:
    table = Table(
        [[_p(label, styles.label), _p(value, styles.cell)] for label, value in rows],
        colWidths=[55 * mm, 115 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _grid(header: list[str], rows: list[list[str]], widths: list[float], styles: _Styles) -> Table:
    data = [[_p(h, styles.label) for h in header]] + [[_p(v, styles.cell) for v in row] for row in rows]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    return table


def _parameters(data: BordereauData) -> list[tuple[str, str]]:
    return [
        ("Type de transaction", data.transaction_type),
        ("Nature de l'acte", data.nature),
        ("Numéro de l'acte", data.number),
        ("Date de la décision", _d(data.decision_date)),
        ("Objet", data.subject),
        ("Documents papiers complémentaires", "OUI" if data.document_papier else "NON"),
        ("Classification matières/sous-matières", data.classification),
        ("Identifiant unique", data.id_acte),
        ("État", data.status),
        ("URL d'archivage", data.archive_url),
        ("Notification", data.notification),
        *data.extra.items(),
    ]


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.setFillColor(colors.grey)
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"{TITLE} — page {doc.page}")
    canvas.restoreState()


def bordereau_pdf(data: BordereauData) -> bytes:
    """The bordereau as a PDF (A4, French)."""
    styles = _Styles()
    story = [
        _p(TITLE, styles.title),
        _p(f"Collectivité : {data.authority} (SIREN {data.siren})", styles.text),
        _p(f"Utilisateur : {data.user}", styles.text),
        _p("Paramètres de la transaction :", styles.heading),
        _key_values(_parameters(data), styles),
        _p("Accusé de réception :", styles.heading),
        _key_values(
            [
                ("Envoyé en préfecture le", _dt(data.sent_at)),
                ("Reçu en préfecture le", _dt(data.received_at)),
                ("Identifiant unique (IDActe)", data.id_acte),
            ],
            styles,
        ),
        _p("Fichiers contenus dans l'archive :", styles.heading),
        _grid(
            ["Nom original", "Nom métier", "Type", "Taille", "Empreinte SHA-256"],
            [
                [f.original_name, f.business_name, f.mime_type, human_size(f.size), f.sha256]
                for f in data.files
            ]
            or [["Aucun fichier", "", "", "", ""]],
            [38, 44, 24, 16, 48],
            styles,
        ),
        _p("Cycle de vie de la transaction :", styles.heading),
        _grid(
            ["État", "Date", "Message"],
            [[e.status, _dt(e.at), e.message] for e in data.history],
            [40, 32, 98],
            styles,
        ),
    ]
    if data.generated_at:
        story += [
            Spacer(1, 6 * mm),
            _p(f"Édité par {data.platform} le {_dt(data.generated_at)}", styles.cell),
        ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=TITLE,
        author=data.platform,
        subject=data.id_acte or data.number,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        invariant=1,
    )
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
