"""The acknowledgement stamp ("tampon") on page 1 of an act, top right (spec §6.1).

S²LOW delegates it to a pdf-stamp micro-service; we draw it in process. The box (190 × 55 pt,
10 pt from the top-right corner, font size 7, opacity 0.8) is drawn once with reportlab as a Form
XObject, and the page's content becomes ``q <original> Q q <cm> /Stamp Do Q``: the original
streams are neither decoded nor rewritten. ``cm`` maps the *displayed* page (after ``/Rotate``,
from the crop box) to the page's user space, so the stamp is upright and top right whatever the
rotation or box origin.

The file is always saved incrementally: its bytes are a prefix of the result, so a PAdES
signature still covers exactly what was signed (a validator reports a later revision). The update
is written here (new page dictionary, three streams, an xref section of the original's kind, table
or stream): pypdf's incremental writer loads every object of the file (slow on big acts) and omits
its xref stream from its own index, which qpdf flags and which a later update then collides with.

Pure: no Django import.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

__all__ = [
    "BOX_HEIGHT",
    "BOX_MARGIN",
    "BOX_WIDTH",
    "StampResult",
    "display_to_user",
    "stamp_pdf",
    "stamp_rows",
]

BOX_WIDTH, BOX_HEIGHT, BOX_MARGIN = 190.0, 55.0, 10.0
FONT, BOLD, FONT_SIZE = "Helvetica", "Helvetica-Bold", 7.0
INK = Color(0.05, 0.2, 0.45)

UNCHANGED_ENCRYPTED = "Le PDF est chiffré : il est fourni sans tampon."
UNCHANGED_BROKEN = "Le PDF est illisible ou endommagé : il est fourni sans tampon."
UNCHANGED_CERTIFIED = "Le PDF est certifié sans modification permise : il est fourni sans tampon."
UNCHANGED_NO_PAGE = "Le PDF n'a aucune page : il est fourni sans tampon."


@dataclass(frozen=True)
class StampResult:
    """What :func:`stamp_pdf` produced.

    :ivar pdf: the stamped PDF, or the original bytes when ``stamped`` is false.
    :ivar stamped: whether the stamp was added.
    :ivar warning: why it was not (French, for the user), empty when stamped.
    """

    pdf: bytes
    stamped: bool
    warning: str = ""


def _fmt(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def stamp_rows(
    *, sent_at: date | None, received_at: date | None, id_acte: str, published_at: date | None = None
) -> list[tuple[str, str]]:
    """The four (title, value) rows of the stamp; "Publié le" stays empty without a date (spec §6.1)."""
    return [
        ("Envoyé en préfecture le", _fmt(sent_at)),
        ("Reçu en préfecture le", _fmt(received_at)),
        ("Publié le", _fmt(published_at)),
        ("ID :", id_acte),
    ]


def _overlay(rows: list[tuple[str, str]], scale: float) -> bytes:
    """A one-page PDF the size of the box, holding the stamp."""
    width, height = BOX_WIDTH * scale, BOX_HEIGHT * scale
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1, invariant=1)
    canvas.scale(scale, scale)
    canvas.setFillColorRGB(1, 1, 1, alpha=0.8)
    canvas.setStrokeColor(INK, alpha=0.8)
    canvas.setLineWidth(0.8)
    canvas.roundRect(0.5, 0.5, BOX_WIDTH - 1, BOX_HEIGHT - 1, 3, stroke=1, fill=1)
    canvas.setFillColor(INK, alpha=0.9)
    line = BOX_HEIGHT / (len(rows) + 0.6)
    title_width = max(stringWidth(title, FONT, FONT_SIZE) for title, _ in rows)
    for index, (title, value) in enumerate(rows):
        # Values in a column after the longest title; a long one (the IDActe) right after its own.
        offset = title_width + 4
        if stringWidth(value, BOLD, FONT_SIZE) > BOX_WIDTH - 12 - offset:
            offset = stringWidth(title, FONT, FONT_SIZE) + 3
        size = FONT_SIZE
        while size > 4 and stringWidth(value, BOLD, size) > BOX_WIDTH - 12 - offset:
            size -= 0.25
        # One text object per row, value after its title: text extraction gives "title value".
        text = canvas.beginText(6, BOX_HEIGHT - (index + 1) * line - 1)
        text.setFont(FONT, FONT_SIZE)
        text.textOut(title)
        text.setXPos(offset)
        text.setFont(BOLD, size)
        text.textOut(value)
        canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def display_to_user(rotation: int, box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """Matrix (a b c d e f) mapping the displayed page (origin bottom left, after ``/Rotate``
    clockwise) to the page's user space; ``box`` is the visible (crop) box."""
    llx, lly, urx, ury = box
    w, h = urx - llx, ury - lly
    return {
        0: (1, 0, 0, 1, llx, lly),
        90: (0, 1, -1, 0, llx + w, lly),
        180: (-1, 0, 0, -1, llx + w, lly + h),
        270: (0, -1, 1, 0, llx, lly + h),
    }[rotation]


def _visible_box(page) -> tuple[float, float, float, float]:
    box = page.cropbox
    # A crop box is clipped to the media box (ISO 32000 §14.11.2).
    media = page.mediabox
    llx, lly = max(box.left, media.left), max(box.bottom, media.bottom)
    urx, ury = min(box.right, media.right), min(box.top, media.top)
    if urx <= llx or ury <= lly:
        llx, lly, urx, ury = media.left, media.bottom, media.right, media.top
    return float(llx), float(lly), float(urx), float(ury)


def _is_locked(reader: PdfReader) -> bool:
    # A certification signature with DocMDP P=1 forbids any change, even a stamp.
    perms = reader.trailer["/Root"].get("/Perms")
    docmdp = perms.get_object().get("/DocMDP") if perms else None
    if docmdp is None:
        return False
    for reference in docmdp.get_object().get("/Reference", []):
        params = reference.get_object().get("/TransformParams")
        if params is not None and int(params.get_object().get("/P", 2)) == 1:
            return True
    return False


def _inline(obj):
    """A direct copy of ``obj`` and everything it references (the overlay's resources are small)."""
    obj = obj.get_object()
    if isinstance(obj, StreamObject):
        raise ValueError("unexpected stream in the stamp's resources")
    if isinstance(obj, DictionaryObject):
        return DictionaryObject({NameObject(k): _inline(v) for k, v in obj.items()})
    if isinstance(obj, ArrayObject):
        return ArrayObject(_inline(v) for v in obj)
    return obj


def _form_xobject(overlay: bytes) -> tuple[StreamObject, float, float]:
    page = PdfReader(io.BytesIO(overlay)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    form = DecodedStreamObject()
    form.set_data(page.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [NumberObject(0), NumberObject(0), FloatObject(width), FloatObject(height)]
            ),
            NameObject("/Resources"): _inline(page["/Resources"]),
        }
    )
    return form.flate_encode(), width, height


def _plain_stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _placement(page, form_size: tuple[float, float], scale: float) -> tuple[float, ...]:
    """The ``cm`` matrix that puts the form top right of the page as displayed."""
    rotation = page.rotation % 360
    if rotation not in (0, 90, 180, 270):
        rotation = 0
    box = _visible_box(page)
    w, h = box[2] - box[0], box[3] - box[1]
    shown_w, shown_h = (h, w) if rotation in (90, 270) else (w, h)
    x = shown_w - BOX_MARGIN * scale - form_size[0]
    y = shown_h - BOX_MARGIN * scale - form_size[1]
    a, b, c, d, e, f = display_to_user(rotation, box)
    # translate by (x, y) in display space, then display → user space
    return (a, b, c, d, a * x + c * y + e, b * x + d * y + f)


def _scale(page) -> float:
    # Tiny pages: shrink the box (and its margin) so that it fits, keeping its proportions.
    box = _visible_box(page)
    w, h = box[2] - box[0], box[3] - box[1]
    if page.rotation % 180 == 90:
        w, h = h, w
    return min(1.0, w / (BOX_WIDTH + 2 * BOX_MARGIN), h / (BOX_HEIGHT + 2 * BOX_MARGIN))


class _Update:
    """An incremental update (ISO 32000-1 §7.5.6) appended to the original bytes."""

    def __init__(self, reader: PdfReader, base: bytes) -> None:
        self.reader, self.base = reader, base
        self.next = int(reader.trailer["/Size"])
        self.objects: dict[int, tuple[int, object]] = {}

    def add(self, obj) -> IndirectObject:
        number = self.next
        self.next += 1
        self.objects[number] = (0, obj)
        return IndirectObject(number, 0, self.reader)

    def replace(self, reference: IndirectObject, obj) -> None:
        self.objects[reference.idnum] = (reference.generation, obj)

    def _uses_xref_stream(self) -> bool:
        start = self.reader._startxref
        return not self.base[start : start + 4].startswith(b"xref")

    def _trailer(self) -> DictionaryObject:
        old = self.reader.trailer
        trailer = DictionaryObject({NameObject("/Root"): old.raw_get("/Root")})
        for key in ("/Info", "/ID"):
            if key in old:
                trailer[NameObject(key)] = old.raw_get(key)
        trailer[NameObject("/Prev")] = NumberObject(self.reader._startxref)
        return trailer

    def write(self) -> bytes:
        out = io.BytesIO()
        out.write(self.base)
        offsets: dict[int, tuple[int, int]] = {}
        for number, (generation, obj) in sorted(self.objects.items()):
            offsets[number] = (out.tell(), generation)
            out.write(f"{number} {generation} obj\n".encode())
            obj.write_to_stream(out)
            out.write(b"\nendobj\n")
        trailer = self._trailer()
        if self._uses_xref_stream():
            number = self.next
            offsets[number] = (out.tell(), 0)
            trailer.update(
                {
                    NameObject("/Type"): NameObject("/XRef"),
                    NameObject("/Size"): NumberObject(number + 1),
                    NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(8), NumberObject(2)]),
                    NameObject("/Index"): ArrayObject(
                        NumberObject(v) for n in sorted(offsets) for v in (n, 1)
                    ),
                }
            )
            rows = b"".join(
                b"\x01" + offset.to_bytes(8, "big") + generation.to_bytes(2, "big")
                for offset, generation in (offsets[n] for n in sorted(offsets))
            )
            xref = StreamObject.initialize_from_dictionary({**trailer, "__streamdata__": rows})
            start = out.tell()
            out.write(f"{number} 0 obj\n".encode())
            xref.write_to_stream(out)
            out.write(b"\nendobj\n")
        else:
            start = out.tell()
            out.write(b"xref\n")
            for n in sorted(offsets):
                offset, generation = offsets[n]
                out.write(f"{n} 1\n{offset:010d} {generation:05d} n\r\n".encode())
            trailer[NameObject("/Size")] = NumberObject(self.next)
            out.write(b"trailer\n")
            trailer.write_to_stream(out)
            out.write(b"\n")
        out.write(f"startxref\n{start}\n%%EOF\n".encode())
        return out.getvalue()


def _apply(reader: PdfReader, base: bytes, rows: list[tuple[str, str]]) -> bytes:
    page = reader.pages[0]
    update = _Update(reader, base)
    scale = _scale(page)
    form, fw, fh = _form_xobject(_overlay(rows, scale))
    matrix = _placement(page, (fw, fh), scale)

    # New page dictionary: the same entries, with copies of /Resources and /XObject (they may be
    # shared with other pages) that name the stamp, and /Contents wrapped around it.
    resources = page.get("/Resources")
    resources = DictionaryObject(resources.get_object() if resources is not None else {})
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object() if xobjects is not None else {})
    index = 0
    while f"/BqStamp{index}" in xobjects:
        index += 1
    name = f"/BqStamp{index}"
    xobjects[NameObject(name)] = update.add(form)
    resources[NameObject("/XObject")] = xobjects

    contents = page.get("/Contents")
    if contents is None:
        streams = []
    else:
        resolved = contents.get_object()
        streams = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
    cm = " ".join(_num(v) for v in matrix)
    new_page = DictionaryObject({NameObject(k): v for k, v in page.items()})
    new_page[NameObject("/Resources")] = resources
    new_page[NameObject("/Contents")] = ArrayObject(
        [
            update.add(_plain_stream(b"q\n")),
            *streams,
            update.add(_plain_stream(f"\nQ\nq {cm} cm {name} Do Q\n".encode("ascii"))),
        ]
    )
    update.replace(page.indirect_reference, new_page)
    return update.write()


def stamp_pdf(
    pdf: bytes,
    *,
    sent_at: date | datetime | None,
    received_at: date | datetime | None,
    id_acte: str,
    published_at: date | None = None,
) -> StampResult:
    """Stamp page 1 of ``pdf`` top right, saving incrementally (the input is a prefix of the output).

    Dates are printed ``dd/mm/yyyy`` as given (convert aware datetimes to local time first);
    a missing send or receipt date prints as empty. Never raises on a bad PDF: an encrypted,
    certified-locked or unreadable file comes back unchanged, with a French ``warning``.
    """
    try:
        # The update starts right after the last byte: keep "%%EOF" on its own line.
        base = pdf if pdf.endswith((b"\n", b"\r")) else pdf + b"\n"
        reader = PdfReader(io.BytesIO(base), strict=False)
        if reader.is_encrypted:
            return StampResult(pdf, False, UNCHANGED_ENCRYPTED)
        if _is_locked(reader):
            return StampResult(pdf, False, UNCHANGED_CERTIFIED)
        if len(reader.pages) == 0:
            return StampResult(pdf, False, UNCHANGED_NO_PAGE)
        rows = stamp_rows(
            sent_at=sent_at, received_at=received_at, id_acte=id_acte, published_at=published_at
        )
        stamped = _apply(reader, base, rows)
        # Read it back as a viewer would, through the new xref: page 1 must name the stamp.
        check = PdfReader(io.BytesIO(stamped), strict=False)
        if len(check.pages) != len(reader.pages) or not any(
            str(n).startswith("/BqStamp") for n in check.pages[0]["/Resources"]["/XObject"]
        ):
            return StampResult(pdf, False, UNCHANGED_BROKEN)
    except Exception:  # noqa: BLE001 - any parser failure means "serve it unstamped" (spec §6.1)
        return StampResult(pdf, False, UNCHANGED_BROKEN)
    if not stamped.startswith(pdf):
        return StampResult(pdf, False, UNCHANGED_BROKEN)
    return StampResult(stamped, True)
