"""Builders of the bids tests: a published consultation of A with two lots, two companies, and a
deposit helper that goes through the real services piece by piece."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from bouquet.core.audit import Actor
from bouquet.marches.bids.models import Deposit, DepositFile
from bouquet.marches.bids.services.commit_deposit import commit_deposit
from bouquet.marches.bids.services.deposit_start import FileSpec, start_deposit
from bouquet.marches.bids.services.receive_piece import receive_piece
from bouquet.marches.choices import Procedure, Status
from tests.marches.helpers import SIRET_1, SIRET_2, MarchesTestCase, make_company_user, make_consultation

#: Small pieces so that a few kilobytes make several of them.
CHUNK = 1024


@contextmanager
def at(moment):
    """Move the server's clock (the one of the bids services and of the key vault)."""
    with mock.patch("bouquet.marches.bids.clock.now", return_value=moment):
        yield


def send_file(deposit: Deposit, file: DepositFile, data: bytes) -> None:
    offset = 0
    while offset < len(data):
        piece = data[offset : offset + settings.MARCHES_BIDS_CHUNK_SIZE]
        file.refresh_from_db()
        offset = receive_piece(deposit=deposit, file=file, offset=offset, data=piece).received


def deposit(
    consultation, user, company, files: dict[str, list[tuple[str, bytes]]], *, commit: bool = True
) -> Deposit:
    """Start, send every file piece by piece, then validate (at the current clock)."""
    contents = [(slot, name, data) for slot, items in files.items() for name, data in items]
    started = start_deposit(
        consultation=consultation,
        company=company,
        actor=Actor.of_user(user),
        files=[FileSpec(slot, name, len(data)) for slot, name, data in contents],
        client_ip="192.0.2.10",
        user_agent="tests",
    )
    stored = list(DepositFile.objects.filter(envelope__deposit=started).order_by("position"))
    for file, (_, _, data) in zip(stored, contents, strict=True):
        send_file(started, file, data)
    if commit:
        return commit_deposit(deposit=started, actor=Actor.of_user(user))
    return started


@override_settings(MARCHES_BIDS_CHUNK_SIZE=CHUNK)
class BidsTestCase(MarchesTestCase):
    """A consultation of A (appel d'offres ouvert, two lots, deadline in ten days) and two companies."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.deadline = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
        cls.consultation = make_consultation(
            cls.authority_a,
            "2026-PLIS",
            status=Status.PUBLISHED,
            lots=2,
            procedure=Procedure.OPEN,
            bid_deadline=cls.deadline,
            question_deadline=cls.deadline - timedelta(days=6),
        )
        cls.lot1, cls.lot2 = cls.consultation.lots.order_by("number")
        cls.dupont, cls.routes = make_company_user("depot@routes.example.test", SIRET_1, "Routes et Cie")
        cls.martin, cls.batiments = make_company_user(
            "offres@batiments.example.test", SIRET_2, "Bâtiments SA"
        )

    def before(self, seconds: int = 3600):
        return self.deadline - timedelta(seconds=seconds)

    def after(self, seconds: int = 3600):
        return self.deadline + timedelta(seconds=seconds)
