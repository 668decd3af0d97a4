"""Shared pieces of the ACTES service tests: in-memory client and inbox, real mails, a base test case."""

import datetime as dt
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from django.test import override_settings

from bouquet.actes.demo import ensure_classification
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.common import Document
from bouquet.actes.services.create_act import create_act
from bouquet.actes.services.send_envelope import send_envelope
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.test import BaseTestCase, make_authority, make_user

S2LOW = Path(__file__).resolve().parents[2] / "fixtures" / "actes" / "s2low"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
MULTICHANNEL_TEXT = (
    "Notre service de contrôle de légalité a identifié qu'il s'agit d'un acte dont la transmission"
    " est effectuée en multi canal."
)


class FakeClient:
    """A ``MinistryClient`` that plays a script of outcomes (None = HTTP 200, or an exception)."""

    def __init__(self, *outcomes) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[tuple[str, str]] = []
        self.archives: list[bytes] = []

    def send(self, archive_name: str, data: bytes) -> None:
        self.calls.append((archive_name, hashlib.sha256(data).hexdigest()))
        self.archives.append(data)
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if isinstance(outcome, Exception):
            raise outcome


@dataclass(frozen=True)
class FakeMail:
    key: str
    uid: str
    raw: bytes
    sha256: str


class FakeInbox:
    def __init__(self, *mails) -> None:
        self.mails = list(mails)
        self.processed: list[str] = []
        self.errors: list[tuple[str, str]] = []

    def fetch(self):
        yield from [m for m in self.mails if m.key not in self.processed and m.key not in dict(self.errors)]

    def mark_processed(self, mail) -> None:
        self.processed.append(mail.key)

    def mark_error(self, mail, reason: str) -> None:
        self.errors.append((mail.key, reason))


def make_mail(
    files: dict[str, bytes], *, key: str = "<1@ministere.test>", body: str = "Message du ministère"
) -> FakeMail:
    message = EmailMessage()
    message["From"] = "actes@interieur.gouv.test"
    message["To"] = "actes@tdt.bouquet.test"
    message["Subject"] = "ACTES"
    message["Message-ID"] = key
    message.set_content(body)
    for name, data in files.items():
        maintype, subtype = ("application", "pdf") if data.startswith(b"%PDF") else ("application", "xml")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    raw = message.as_bytes()
    return FakeMail(key=key, uid=key, raw=raw, sha256=hashlib.sha256(raw).hexdigest())


def fixture_files(folder: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((S2LOW / folder).iterdir()) if p.suffix == ".xml"}


# The users' passwords are irrelevant here; Argon2 would make every test class slow to set up.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class ActesTestCase(BaseTestCase):
    """BaseTestCase + a classification for authority A, a CS-only user and handy builders."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ensure_classification(cls.authority_a)
        ensure_classification(cls.authority_b)
        prepare = {ModuleCode.ACTES: (Access.WRITE, True, False)}
        cls.cecile = make_user("cecile@a.example.test", cls.authority_a, Role.AGENT, prepare)
        cls.alice_actor = Actor.of_user(cls.alice)

    def make_authority(self, siren: str, departement: str = "034"):
        authority = make_authority(self.operator, f"Collectivité {siren}", siren, departement=departement)
        ensure_classification(authority)
        full = {ModuleCode.ACTES: (Access.WRITE, True, True)}
        make_user(f"agent@{siren}.example.test", authority, Role.ADMIN, full)
        return authority

    def actor_for(self, authority) -> Actor:
        return Actor.of_user(authority.memberships.first().user)

    def create(self, authority=None, actor=None, **changes):
        values = {
            "nature": 1,
            "number": "2025_D001",
            "subject": "Délibération portant vente d'une parcelle communale",
            "decision_date": dt.date(2025, 3, 10),
            "classification": "3.2",
            "document": Document("deliberation.pdf", PDF, "99_DE"),
            "annexes": (),
        }
        values.update(changes)
        authority = authority or self.authority_a
        return create_act(authority=authority, actor=actor or self.actor_for_default(authority), **values)

    def actor_for_default(self, authority) -> Actor:
        return self.alice_actor if authority == self.authority_a else self.actor_for(authority)

    def transmitted(self, authority=None, client=None, **changes):
        """An act created, checked and sent (status 3)."""
        act = self.create(authority, **changes)
        check_transaction(transaction=act)
        act.refresh_from_db()
        send_envelope(envelope=act.envelope, client=client or FakeClient())
        act.refresh_from_db()
        return act
