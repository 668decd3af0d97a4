"""The acknowledgement stamp on page 1: wording, top-right placement as displayed, incremental save."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader, PdfWriter

from bouquet.actes.pdf.stamp import BOX_MARGIN, StampResult, stamp_pdf, stamp_rows
from tests.actes.pdf.helpers import ID_ACTE, REAL_PDFS, SIZES, make_pdf, stamp_placement

SENT = dt.datetime(2026, 3, 2, 9, 30)
RECEIVED = dt.datetime(2026, 3, 3, 14, 5)
PUBLISHED = dt.date(2026, 3, 10)


def stamp(pdf: bytes, **kwargs) -> StampResult:
    kwargs.setdefault("published_at", PUBLISHED)
    return stamp_pdf(pdf, sent_at=SENT, received_at=RECEIVED, id_acte=ID_ACTE, **kwargs)


def page_text(pdf: bytes, number: int = 0) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[number].extract_text()


def assert_stamp_text(pdf: bytes) -> None:
    text = page_text(pdf)
    assert "Envoyé en préfecture le 02/03/2026" in text
    assert "Reçu en préfecture le 03/03/2026" in text
    assert "Publié le 10/03/2026" in text
    assert f"ID : {ID_ACTE}" in text


def assert_top_right(pdf: bytes) -> None:
    box = stamp_placement(pdf)
    width, height = box["page"]
    # Upright as displayed: the stamp's x axis points right, its y axis up.
    assert box["x_axis"] == pytest.approx((1, 0), abs=1e-6)
    assert box["y_axis"] == pytest.approx((0, 1), abs=1e-6)
    assert 0 <= box["left"] < box["right"] <= width
    assert 0 <= box["bottom"] < box["top"] <= height
    # Its top-right corner sits a margin away from the page's (less on tiny pages, scaled down).
    assert 0 < width - box["right"] <= BOX_MARGIN + 0.01
    assert 0 < height - box["top"] <= BOX_MARGIN + 0.01
    if width > 400 and height > 400:
        assert box["left"] > width / 2 and box["bottom"] > height / 2


@pytest.mark.parametrize("name", sorted(REAL_PDFS))
def test_it_stamps_real_acts(name):
    original = REAL_PDFS[name].read_bytes()
    result = stamp(original)
    assert result.stamped and result.warning == ""
    assert result.pdf.startswith(original)
    assert_stamp_text(result.pdf)
    assert_top_right(result.pdf)
    # The act's own text is still there, and only page 1 carries the stamp.
    assert page_text(original)[:200] in page_text(result.pdf)
    reader = PdfReader(io.BytesIO(result.pdf))
    assert len(reader.pages) == len(PdfReader(io.BytesIO(original)).pages)
    if len(reader.pages) > 1:
        assert "préfecture" not in reader.pages[1].extract_text()


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_it_stamps_top_right_whatever_the_size_and_rotation(size, rotate):
    original = make_pdf(SIZES[size], rotate=rotate)
    result = stamp(original)
    assert result.stamped
    assert result.pdf.startswith(original)
    assert_stamp_text(result.pdf)
    assert_top_right(result.pdf)
    assert "préfecture" not in page_text(result.pdf, 1)


@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_it_follows_a_shifted_media_box_and_a_crop_box(rotate):
    width, height = SIZES["a4"]
    for pdf in (
        make_pdf(SIZES["a4"], rotate=rotate, origin=(-200, 350)),
        make_pdf(SIZES["a4"], rotate=rotate, crop=(40, 60, width - 90, height - 30)),
        make_pdf(SIZES["a4"], rotate=rotate, origin=(100, -75), crop=(40, 60, width - 90, height - 30)),
    ):
        result = stamp(pdf)
        assert result.stamped
        assert_top_right(result.pdf)
        assert_stamp_text(result.pdf)


def test_it_leaves_the_publication_date_empty_when_not_given():
    result = stamp(make_pdf(), published_at=None)
    text = page_text(result.pdf)
    assert "Publié le" in text and "Publié le 10/03/2026" not in text
    assert stamp_rows(sent_at=SENT, received_at=RECEIVED, id_acte=ID_ACTE)[2] == ("Publié le", "")


def test_it_stamps_a_pdf_without_trailing_newline():
    original = make_pdf().rstrip(b"\r\n")
    result = stamp(original)
    assert result.stamped and result.pdf.startswith(original)
    assert_stamp_text(result.pdf)


def test_it_can_stamp_twice():
    once = stamp(make_pdf()).pdf
    twice = stamp_pdf(once, sent_at=SENT, received_at=RECEIVED, id_acte="OTHER-ID").pdf
    assert twice.startswith(once)
    assert "ID : OTHER-ID" in page_text(twice) and f"ID : {ID_ACTE}" in page_text(twice)


def test_it_returns_an_encrypted_pdf_unchanged_with_a_warning():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="", owner_password="secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    encrypted = buffer.getvalue()
    result = stamp(encrypted)
    assert result == StampResult(encrypted, False, result.warning)
    assert "chiffré" in result.warning


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not a pdf at all", b"%PDF-1.7\n1 0 obj <<", make_pdf()[:300]],
    ids=["empty", "text", "cut", "truncated"],
)
def test_it_returns_garbage_unchanged_with_a_warning(garbage):
    result = stamp(garbage)
    assert result.pdf == garbage
    assert not result.stamped
    assert "sans tampon" in result.warning
