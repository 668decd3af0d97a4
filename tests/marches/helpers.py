"""Builders shared by the procurement tests (explicit, no factory library)."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Membership, Module, ModuleRight
from bouquet.core.validators import luhn_ok
from bouquet.marches.choices import Kind, Procedure, Status
from bouquet.marches.models import Company, CompanyMembership, Consultation, DceFile, Lot
from bouquet.marches.storage import store_upload
from bouquet.test import BaseTestCase, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Luhn-valid company SIRETs.
SIRET_1 = "73282932000074"
SIRET_2 = "44306184100047"


def siret_of(authority) -> str:
    """A Luhn-valid SIRET of ``authority`` (NIC 0001x)."""
    base = authority.siren + "0001"
    return next(base + str(d) for d in range(10) if luhn_ok(base + str(d)))


def give_marches(user, authority, access=Access.WRITE) -> None:
    membership = Membership.objects.get(user=user, authority=authority)
    ModuleRight.objects.update_or_create(
        membership=membership, module=Module.objects.get(code=ModuleCode.MARCHES), defaults={"access": access}
    )


def pdf_upload(name: str = "RC.pdf", body: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + body, content_type="application/pdf")


def make_consultation(authority, reference="2026-001", status=Status.DRAFT, lots=0, files=(), **fields):
    now = timezone.now()
    values = {
        "buyer_siret": siret_of(authority),
        "object": f"Travaux de voirie {reference}",
        "procedure": Procedure.MAPA,
        "kind": Kind.WORKS,
        "cpv_main": "45233140-2",
        "execution_place": authority.name,
        "estimated_amount": Decimal("80000"),
        "notice_text": "Avis de marché : réfection de la voirie communale.",
        "bid_deadline": now + timedelta(days=40),
        "question_deadline": now + timedelta(days=30),
        **fields,
    }
    if status != Status.DRAFT:
        values.setdefault("published_at", now - timedelta(days=1))
        values.setdefault("version", 1)
    consultation = Consultation.objects.create(
        authority=authority, reference=reference, status=status, **values
    )
    for n in range(1, lots + 1):
        Lot.objects.create(consultation=consultation, number=n, object=f"Lot {n}", cpv="45233140-2")
    for name in files:
        stored = store_upload(pdf_upload(name, name.encode()))
        DceFile.objects.create(
            consultation=consultation, name=stored.name, sha256=stored.sha256, size=stored.size,
            mime_type=stored.sniffed.mime_type, format_label=stored.sniffed.label, path=stored.path,
        )  # fmt: skip
    return consultation


def make_company_user(email="entreprise@example.test", siret=SIRET_1, name="Routes et Cie"):
    user = make_user(email)
    company = Company.objects.create(
        siret=siret, name=name, address="1 rue des Routes", postal_code="21000", city="Dijon", email=email
    )
    CompanyMembership.objects.create(user=user, company=company)
    return user, company


def buffer(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    handle.size = len(data)
    return handle


class MarchesTestCase(BaseTestCase):
    """BaseTestCase with MARCHES rights: alice writes in A, bob reads in A, charlie writes in B."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        give_marches(cls.alice, cls.authority_a)
        give_marches(cls.bob, cls.authority_a, Access.READ)
        give_marches(cls.charlie, cls.authority_b)
