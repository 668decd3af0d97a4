"""Acknowledgement stamp on page 1 (bouquet.actes.pdf.stamp) against ``qpdf --overlay`` of a prepared
stamp page, on the same PDFs in the same run.

The two do not do quite the same work: ours draws the box for each act (its dates and IDActe), and
saves incrementally (a PAdES signature stays valid); qpdf overlays a ready-made page and rewrites
the whole file, in a new process per document, as a service calling it would.
"""

import datetime as dt
import io
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.pdfgen.canvas import Canvas

from bouquet.actes.pdf.stamp import stamp_pdf

ROUNDS = 10
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "actes" / "pastell"


def _generated(size, pages: int, rotate: int = 0) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, pageCompression=1)
    for number in range(pages):
        canvas.setFont("Helvetica", 11)
        for line in range(50):
            canvas.drawString(40, size[1] - 40 - 14 * line, f"Page {number + 1}, ligne {line + 1} de l'acte")
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    if rotate:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        for page in writer.pages:
            page.rotation = rotate
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


def corpus() -> dict[str, bytes]:
    """The PDFs both tools stamp: the two real acts of the fixtures and generated ones."""
    pdfs = {p.name: p.read_bytes() for p in sorted(FIXTURES.rglob("*.pdf"))}
    pdfs |= {
        "a4-2p.pdf": _generated(A4, 2),
        "a4-rot90-2p.pdf": _generated(A4, 2, rotate=90),
        "a3-landscape-1p.pdf": _generated(landscape(A3), 1),
        "a4-40p.pdf": _generated(A4, 40),
    }
    return pdfs


def _ours(pdfs: dict[str, bytes]) -> float:
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for data in pdfs.values():
            result = stamp_pdf(
                data,
                sent_at=dt.date(2026, 3, 2),
                received_at=dt.date(2026, 3, 3),
                id_acte="034-491011698-20260301-2026_D042-DE",
                published_at=dt.date(2026, 3, 10),
            )
            assert result.stamped, result.warning
    return ROUNDS * len(pdfs) / (time.perf_counter() - start)


def _qpdf(qpdf: str, pdfs: dict[str, bytes]) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-stamp-") as folder:
        root = Path(folder)
        stamp_page = root / "stamp.pdf"
        blank = io.BytesIO()
        canvas = Canvas(blank, pagesize=A4)
        canvas.showPage()
        canvas.save()
        stamp_page.write_bytes(
            stamp_pdf(
                blank.getvalue(),
                sent_at=dt.date(2026, 3, 2),
                received_at=dt.date(2026, 3, 3),
                id_acte="034-491011698-20260301-2026_D042-DE",
            ).pdf
        )
        inputs = []
        for index, data in enumerate(pdfs.values()):
            path = root / f"in-{index}.pdf"
            path.write_bytes(data)
            inputs.append(path)
        start = time.perf_counter()
        for _ in range(ROUNDS):
            for path in inputs:
                out = path.with_suffix(".out.pdf")
                subprocess.run(
                    [qpdf, str(path), "--overlay", str(stamp_page), "--to=1", "--", str(out)],
                    check=True,
                    capture_output=True,
                )
                out.read_bytes()
        return ROUNDS * len(pdfs) / (time.perf_counter() - start)


def run() -> None:
    pdfs = corpus()
    ours = _ours(pdfs)
    print(f"stamp: {ours:.1f} docs/s")
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        print("qpdf overlay: skipped (qpdf is not installed: apt-get install qpdf)")
        return
    theirs = _qpdf(qpdf, pdfs)
    print(f"qpdf overlay: {theirs:.1f} docs/s")
    print(f"stamp vs qpdf ratio: {ours / theirs:.2f}")


if __name__ == "__main__":
    run()
