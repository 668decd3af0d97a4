"""Builders shared by the back-office tests (explicit objects, no factory library)."""

import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from reportlab.pdfgen import canvas

from bouquet.backoffice.choices import ConventionKind, ConventionStatus, MembershipStatus
from bouquet.backoffice.models import Convention, FeeRule, MembershipStatusChange
from bouquet.core.audit import Actor
from bouquet.core.models import Module
from bouquet.test import BaseTestCase

SYSTEM = Actor.system("tests")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class BackofficeTestCase(BaseTestCase):
    """``BaseTestCase`` with a fast password hasher: the test users are built once per class."""


def status(
    authority, value: str = MembershipStatus.MEMBER, on: date = date(2020, 1, 1)
) -> MembershipStatusChange:
    return MembershipStatusChange.objects.create(authority=authority, status=value, effective_date=on)


def fee_rule(
    operator,
    code: str,
    amount: str,
    *,
    kind: str = "",
    low: int = 0,
    high=None,
    start=date(2025, 1, 1),
    end=None,
):
    return FeeRule.objects.create(
        operator=operator,
        module=Module.objects.get(code=code),
        kind=kind,
        min_population=low,
        max_population=high,
        amount=Decimal(amount),
        valid_from=start,
        valid_until=end,
    )


def signed_convention(
    authority, module: str = "ACTES", *, start=date(2020, 1, 1), end=None, kind=ConventionKind.CONVENTION
):
    return Convention.objects.create(
        authority=authority,
        module=module,
        kind=kind,
        subject="Télétransmission des actes",
        status=ConventionStatus.SIGNED,
        signed_on=start,
        effective_from=start,
        effective_until=end,
    )


def pdf_bytes(text: str = "Convention signée") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def pdf_upload(name: str = "convention.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, content_type="application/pdf")


class RawUpload:
    """An upload with its name exactly as given (Django's own upload classes strip paths first)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data, self.size = name, data, len(data)

    def read(self, size: int = -1) -> bytes:
        return self.data if size < 0 else self.data[:size]


def pdf_text(data: bytes) -> str:
    """All pages' text, whitespace collapsed (what a reader of the PDF sees)."""
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())
