"""PDFs for the stamp tests: generated with reportlab (sizes, rotations, odd boxes) and real ones."""

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, RectangleObject
from reportlab.lib.pagesizes import A3, A4, landscape, letter
from reportlab.pdfgen.canvas import Canvas

FIXTURES = (
    Path(__file__).resolve().parents[2] / "fixtures" / "actes" / "pastell" / "test" / "PHPUnit" / "module"
)
REAL_PDFS = {
    "delib": FIXTURES / "actes-generique" / "fixtures" / "Delib Adullact.pdf",
    "journal": FIXTURES
    / "actes-preversement-seda"
    / "fixtures"
    / "034-491011698-20171207-CL20171227_06-DE-1-1_1.pdf",
}
SIZES = {"a4": A4, "a3": A3, "letter": letter, "a4-landscape": landscape(A4), "tiny": (100, 60)}
ID_ACTE = "034-000000000-20170701-20170721D-AI"


def make_pdf(size=A4, *, pages: int = 2, rotate: int = 0, origin=(0, 0), crop=None) -> bytes:
    """A small text PDF; ``origin`` shifts the MediaBox, ``crop`` (relative to it) sets a CropBox."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    for number in range(pages):
        canvas.setFont("Helvetica", 10)
        canvas.drawString(20, 20, f"Corps de l'acte, page {number + 1}")
        canvas.showPage()
    canvas.save()
    if not (rotate or origin != (0, 0) or crop):
        return buffer.getvalue()
    writer = PdfWriter(clone_from=PdfReader(buffer))
    for page in writer.pages:
        if origin != (0, 0):
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            page.add_transformation((1, 0, 0, 1, origin[0], origin[1]))
            page.mediabox = RectangleObject([origin[0], origin[1], origin[0] + w, origin[1] + h])
        if crop:
            llx, lly, urx, ury = crop
            page.cropbox = RectangleObject(
                [origin[0] + llx, origin[1] + lly, origin[0] + urx, origin[1] + ury]
            )
        if rotate:
            page.rotation = rotate
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _mul(m, n):
    """m then n (row-vector convention, as in PDF)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def user_to_display(rotation: int, box, x: float, y: float) -> tuple[float, float]:
    """Where a user-space point shows, from the bottom-left of the visible page (ISO 32000: /Rotate
    turns the page clockwise). Written independently from the code under test."""
    llx, lly, urx, ury = box
    u, v = x - llx, y - lly
    w, h = urx - llx, ury - lly
    return {0: (u, v), 90: (v, w - u), 180: (w - u, h - v), 270: (h - v, u)}[rotation]


def stamp_placement(pdf: bytes) -> dict:
    """The stamp's box on page 1 in display coordinates, found from the page content (render-free).

    Follows q/Q/cm up to the ``Do`` of the stamp form, maps its BBox corners and its axes.
    """
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    box = page.cropbox
    visible = (float(box.left), float(box.bottom), float(box.right), float(box.top))
    rotation = page.rotation % 360
    ctm, stack, found = (1, 0, 0, 1, 0, 0), [], None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif operator == b"Do" and str(operands[0]).startswith("/BqStamp"):
            found = (str(operands[0]), ctm)
    assert found, "no stamp drawn on page 1"
    name, ctm = found
    form = page["/Resources"]["/XObject"][name].get_object()
    x0, y0, x1, y1 = (float(v) for v in form["/BBox"])

    def show(x, y):
        a, b, c, d, e, f = ctm
        return user_to_display(rotation, visible, a * x + c * y + e, b * x + d * y + f)

    corners = [show(x, y) for x in (x0, x1) for y in (y0, y1)]
    origin, right, up = show(0, 0), show(1, 0), show(0, 1)
    w, h = visible[2] - visible[0], visible[3] - visible[1]
    return {
        "left": min(x for x, _ in corners),
        "right": max(x for x, _ in corners),
        "bottom": min(y for _, y in corners),
        "top": max(y for _, y in corners),
        "x_axis": (right[0] - origin[0], right[1] - origin[1]),
        "y_axis": (up[0] - origin[0], up[1] - origin[1]),
        "page": (h, w) if rotation in (90, 270) else (w, h),
    }
