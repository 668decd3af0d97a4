"""End to end under faults: the ministry's 500, a worker killed mid-send, IMAP dropped mid-poll,
duplicated and lost answers. Each proves "transmitted once, applied once, nothing lost"."""

import datetime as dt
import subprocess
import sys
import time

import pytest
from django.test import override_settings
from django.utils import timezone

from bouquet.actes import tasks
from bouquet.actes.choices import EnvelopeState, InboundState, Status
from bouquet.actes.models import Envelope, InboundMessage, Transaction, TransactionHistory
from bouquet.actes.services.alert_unacknowledged import alert_unacknowledged
from bouquet.actes.transport import ImapInbox, TransportError

from .conftest import imap_platform, maildir_platform
from .support import subprocess_env

# Committed for real (the simulator's answers are applied by other connections, workers run in
# other processes). serialized_rollback: the flush after each test must not re-create the content
# types that later serialized-rollback tests (tests/edge) restore themselves.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def platform(pki, work, start_ministry):
    return maildir_platform(pki, work, start_ministry)


def archive_rows(platform, act) -> list[dict]:
    return platform.ministry.rows(
        "SELECT times, outcome FROM archives WHERE name = ?", (act.envelope.archive_name,)
    )


def acknowledgements(act) -> int:
    return TransactionHistory.objects.filter(transaction=act, status=Status.ACQUITTEMENT_RECU).count()


def test_a_500_then_a_200_transmits_the_archive_exactly_once(platform):
    platform.ministry.faults(http_500=1)
    act = platform.create("2026_D500")
    tasks.process_posted.call()
    assert tasks.send_pending.call(client=platform.client) == {"retry": 1}
    act.refresh_from_db()
    assert act.status == Status.EN_ATTENTE_TRANSMISSION
    assert Envelope.objects.get().state == EnvelopeState.ERROR
    assert platform.ministry.rows("SELECT * FROM archives") == []  # the 500 came before any processing

    # The back-off delay elapses (moved instead of waited), the next pass sends it again.
    Envelope.objects.update(next_attempt_at=timezone.now())
    platform.reach(act, Status.ACQUITTEMENT_RECU)
    assert archive_rows(platform, act) == [{"times": 1, "outcome": "traitée"}]
    assert Envelope.objects.get().attempts == 2
    assert acknowledgements(act) == 1


KILLED_WORKER = """
import os, signal, sys
from pathlib import Path
from unittest import mock

import django

django.setup()
from bouquet.actes import tasks
from bouquet.actes.transport import HttpsMinistryClient

url, cert, key, pin = sys.argv[1:5]
client = HttpsMinistryClient(url, client_cert=Path(cert), client_key=Path(key), server_cert_pin=Path(pin))
# The POST got its 200; the worker dies before the status is saved.
with mock.patch(
    "bouquet.actes.services.send_envelope._mark_sent",
    side_effect=lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL),
):
    tasks.send_pending.call(client=client)
print("not killed")
"""


def test_a_worker_killed_between_sent_and_saved_transmits_once_after_recovery(platform, pki):
    act = platform.create("2026_DK01")
    tasks.process_posted.call()
    envelope = Envelope.objects.get()
    ministry = platform.ministry
    args = [ministry.url, str(pki.platform_cert), str(pki.platform_key), str(pki.server_cert)]
    worker = subprocess.run(
        [sys.executable, "-c", KILLED_WORKER, *args],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == -9, worker.stdout + worker.stderr
    envelope.refresh_from_db()
    act.refresh_from_db()
    assert (envelope.state, envelope.attempts, act.status) == (EnvelopeState.SENDING, 1, 2)
    # It did reach the ministry.
    ministry.wait_rows("SELECT sha256, times FROM archives", [{"sha256": envelope.sha256, "times": 1}])

    # Restart: the daily maintenance resends the stale claim, with the same bytes.
    with override_settings(ACTES_STALE_SEND_MINUTES=0):
        assert tasks.daily_maintenance.call(client=platform.client)["resent"] == 1
    platform.reach(act, Status.ACQUITTEMENT_RECU)
    ministry.wait_rows(  # the resend: a duplicate, counted, not processed again
        "SELECT sha256, times, outcome FROM archives",
        [{"sha256": envelope.sha256, "times": 2, "outcome": "traitée"}],
    )
    assert len(ministry.rows("SELECT * FROM acts")) == 1
    assert len(ministry.rows("SELECT * FROM mails")) == 1  # a single 1-2
    assert acknowledgements(act) == 1
    assert Envelope.objects.get().attempts == 2


class KillingInbox(ImapInbox):
    """Kills Dovecot (SIGKILL) when asked to file the n-th mail: after its effect was committed."""

    def __init__(self, *args, dovecot, at: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dovecot, self.at, self.marked = dovecot, at, 0

    def mark_processed(self, mail) -> None:
        self.marked += 1
        if self.marked == self.at:
            self.dovecot.kill()
        super().mark_processed(mail)


def test_imap_dropped_mid_poll_loses_nothing_and_applies_nothing_twice(pki, start_ministry, dovecot):
    platform = imap_platform(pki, dovecot, start_ministry)
    acts = [platform.create(f"2026_I{n:03d}") for n in range(1, 5)]
    tasks.process_posted.call()
    assert tasks.send_pending.call(client=platform.client) == {"sent": 4}
    deadline = time.monotonic() + 20
    while len(dovecot.messages("INBOX")) < 4:  # the four 1-2, served by Dovecot
        assert time.monotonic() < deadline, platform.ministry.log.read_text()
        time.sleep(0.05)
    killing = KillingInbox(
        "127.0.0.1", dovecot.port, dovecot.user, dovecot.password, timeout=5, dovecot=dovecot, at=2
    )
    # The four mails are applied in one batch and committed; filing them fails from the second on
    # (Dovecot is gone), which is only logged: they stay in the inbox.
    assert tasks.poll_inbox.call(inbox=killing) == {"applied": 4}
    assert InboundMessage.objects.count() == 4

    dovecot.start()
    assert len(dovecot.messages("INBOX")) == 3
    assert tasks.poll_inbox.call(inbox=platform.inbox) == {"duplicate": 3}
    assert tasks.poll_inbox.call(inbox=platform.inbox) == {}
    assert len(dovecot.messages("INBOX")) == 0
    assert len(dovecot.messages("Traites")) == 4
    assert InboundMessage.objects.filter(state=InboundState.APPLIED).count() == 4
    for act in acts:
        act.refresh_from_db()
        assert act.status == Status.ACQUITTEMENT_RECU
        assert acknowledgements(act) == 1


class FetchKillingInbox(ImapInbox):
    """Kills Dovecot (SIGKILL) when about to fetch the n-th mail of the pass."""

    def __init__(self, *args, dovecot, at: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dovecot, self.at, self.fetched = dovecot, at, 0

    def _fetch_one(self, uid):
        self.fetched += 1
        if self.fetched == self.at:
            self.dovecot.kill()
        return super()._fetch_one(uid)


def test_imap_dropped_while_reading_a_batch_applies_none_of_it_and_the_next_pass_all(
    pki, start_ministry, dovecot
):
    platform = imap_platform(pki, dovecot, start_ministry)
    acts = [platform.create(f"2026_F{n:03d}") for n in range(1, 4)]
    tasks.process_posted.call()
    assert tasks.send_pending.call(client=platform.client) == {"sent": 3}
    deadline = time.monotonic() + 20
    while len(dovecot.messages("INBOX")) < 3:
        assert time.monotonic() < deadline, platform.ministry.log.read_text()
        time.sleep(0.05)
    killing = FetchKillingInbox(
        "127.0.0.1", dovecot.port, dovecot.user, dovecot.password, timeout=5, dovecot=dovecot, at=3
    )
    with pytest.raises(TransportError):
        tasks.poll_inbox.call(inbox=killing)
    assert InboundMessage.objects.count() == 0  # the two mails already read were not applied alone

    dovecot.start()
    assert tasks.poll_inbox.call(inbox=platform.inbox) == {"applied": 3}
    assert len(dovecot.messages("Traites")) == 3
    for act in acts:
        act.refresh_from_db()
        assert act.status == Status.ACQUITTEMENT_RECU
        assert acknowledgements(act) == 1


def test_a_duplicated_acknowledgement_mail_is_applied_once(platform):
    platform.ministry.faults(duplicate_answers=True)
    act = platform.create("2026_DD01")
    platform.reach(act, Status.ACQUITTEMENT_RECU)
    platform.run_until(lambda: not list(platform.inbox.fetch()))  # the second copy is read too
    assert len(list((platform.inbox.path / ".Traites" / "new").iterdir())) == 2
    # (the simulator records the mail once delivered: the platform may have applied it already)
    platform.ministry.wait_rows("SELECT copies FROM mails", [{"copies": 2}])
    assert InboundMessage.objects.count() == 1
    assert acknowledgements(act) == 1


def test_dropped_answers_leave_the_act_transmitted_and_alerted_after_four_hours(platform):
    platform.ministry.faults(drop_answers=True)
    act = platform.create("2026_DR01")
    platform.reach(act, Status.TRANSMIS)
    platform.ministry.wait_rows(
        "SELECT times, outcome FROM archives WHERE name = ?",
        [{"times": 1, "outcome": "traitée"}],
        (act.envelope.archive_name,),
    )
    for _ in range(10):
        platform.step()
    act.refresh_from_db()
    assert act.status == Status.TRANSMIS
    assert platform.ministry.rows("SELECT copies FROM mails") == [{"copies": 0}]  # "sent", never delivered
    assert not InboundMessage.objects.exists()

    now = timezone.now()
    assert alert_unacknowledged(now=now) == []  # not yet: it was just sent
    later = now + dt.timedelta(hours=4, minutes=1)
    assert list(Transaction.objects.unacknowledged(later, 4)) == [act]
    assert alert_unacknowledged(now=later) == [act]
    assert alert_unacknowledged(now=later) == []  # once
