"""Shared pieces of the ACTES page tests: the service test base plus a few ready-made transactions."""

from bouquet.actes.models import Transaction
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from tests.actes.services import ministry
from tests.actes.services.helpers import PDF, PNG, ActesTestCase, FakeClient, make_mail

__all__ = ["PDF", "PNG", "ActesViewTestCase", "FakeClient", "ministry"]


class ActesViewTestCase(ActesTestCase):
    """ActesTestCase (classification for A and B, cecile who may prepare but not transmit)."""

    def apply(self, files: dict[str, bytes]):
        result = apply_inbound_mail(mail=make_mail(files, key=f"<{len(files)}-{sorted(files)[0]}@test>"))
        self.assertEqual(result.state, "applied", result.message.reason)
        return result

    def acknowledged(self, authority=None, **changes) -> Transaction:
        """An act transmitted and acknowledged by the ministry (status 4)."""
        act = self.transmitted(authority, **changes)
        self.apply(ministry.ar_acte(act))
        act.refresh_from_db()
        return act

    def letter(self, act: Transaction, code: str) -> Transaction:
        """A 3-1 or 4-1 received about ``act``."""
        self.apply(ministry.letter(act, code))
        return Transaction.objects.get(related=act, response_kind__isnull=True, type=int(code[0]))
