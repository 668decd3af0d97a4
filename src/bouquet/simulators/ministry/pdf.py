"""A one-page PDF written by hand: the préfecture's letters need a real PDF, not a dependency."""

import textwrap

__all__ = ["letter_pdf"]

_LINE_WIDTH = 90
_MAX_LINES = 60


def _escape(line: str) -> bytes:
    data = line.encode("cp1252", errors="replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def letter_pdf(title: str, text: str) -> bytes:
    """A valid one-page A4 PDF showing ``title`` then ``text`` (wrapped, Helvetica, WinAnsi)."""
    lines = [title, ""]
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, _LINE_WIDTH) or [""]
    content = b"BT /F1 11 Tf 56 790 Td 14 TL\n"
    content += b"".join(b"(" + _escape(line) + b") '\n" for line in lines[:_MAX_LINES]) + b"ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
