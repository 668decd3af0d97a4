"""Two workers record one envelope from both ends: one the ministry's HTTP 200, the other the AR that
overtook it (the ministry answers fast). Both hold the act before the envelope row, so one waits for
the other instead of deadlocking. PostgreSQL only: real row locks, real commits, two connections."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections
from django.db import transaction as db
from django.utils import timezone

from bouquet.actes.choices import EnvelopeState, Status
from bouquet.actes.demo import ensure_classification
from bouquet.actes.models import Transaction
from bouquet.actes.services import send_envelope as sending
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.common import Document
from bouquet.actes.services.create_act import create_act
from bouquet.core.audit import Actor, verify_chain
from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.core.models import JournalEntry, Subscription
from bouquet.test import make_authority, make_modules, make_operator, make_user
from tests.actes.services.helpers import PDF

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]


def _claimed_envelope():
    """An act checked (2) whose envelope a worker has claimed and POSTed, its 200 not yet recorded."""
    authority = make_authority(make_operator(), "Commune A", "210100012")
    for module in make_modules().values():
        Subscription.objects.create(authority=authority, module=module, start_date=dt.date(2024, 1, 1))
    ensure_classification(authority)
    full = {ModuleCode.ACTES: (Access.WRITE, True, True)}
    user = make_user("alice@a.example.test", authority, Role.ADMIN, full)
    act = create_act(
        authority=authority, actor=Actor.of_user(user), nature=1, number="2025_L001", subject="Délibération",
        decision_date=dt.date(2025, 3, 10), classification="3.2", document=Document("d.pdf", PDF, "99_DE"),
    )  # fmt: skip
    check_transaction(transaction=act)
    act.refresh_from_db()
    envelope = act.envelope
    assert sending._prepare(envelope, timezone.now()) is not None  # claimed: "sending"
    assert envelope.state == EnvelopeState.SENDING
    return act, envelope


def _waiting_on_a_lock(timeout: float = 10) -> bool:
    """Whether another backend of this database is waiting for a row lock (polled)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction otherwise sees one snapshot
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def test_the_200_and_the_ar_that_overtook_it_are_recorded_without_deadlock():
    act, envelope = _claimed_envelope()
    errors: list[BaseException] = []

    def record_the_200():  # worker A: the POST came back 200
        try:
            sending._mark_sent([envelope], timezone.now())
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    with db.atomic():  # worker B applies the AR: it holds the act first, as the answer pass does
        held = Transaction.objects.select_for_update().get(pk=act.pk)
        assert held.status == Status.EN_ATTENTE_TRANSMISSION
        worker_a = threading.Thread(target=record_the_200)
        worker_a.start()
        assert _waiting_on_a_lock(), "worker A should wait for the act B holds"
        # The AR is the proof of delivery: B records the envelope sent. Before the fix, A held the
        # envelope row and waited for the act, B waited for the envelope: PostgreSQL killed one.
        assert sending.confirm_delivery(envelope=envelope, now=timezone.now())
    worker_a.join(30)

    assert not worker_a.is_alive()
    assert errors == []
    envelope.refresh_from_db()
    act.refresh_from_db()
    assert envelope.state == EnvelopeState.SENT
    assert act.status == Status.TRANSMIS
    assert act.history.filter(status=Status.TRANSMIS).count() == 1, "moved to 3 once"
    assert JournalEntry.objects.filter(action="actes.send_ok", object_id=str(act.pk)).count() == 1
    assert verify_chain().ok
