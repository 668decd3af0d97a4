"""Several ``bouquet actes worker`` processes side by side, as a busy installation runs them: each
act is checked once, each archive reaches the ministry once, each answer is applied once."""

import subprocess
import sys
import time

import pytest

from bouquet.actes.choices import EnvelopeState, InboundState, Status
from bouquet.actes.models import Envelope, InboundMessage, Transaction
from bouquet.core.audit import verify_chain

from .conftest import maildir_platform
from .support import subprocess_env

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ACTS, WORKERS = 8, 3
# Each worker gets ready (Django loaded), then waits for the others: all start their passes together.
WORKER = """
import pathlib, sys, time
import django

django.setup()
from django.core.management import call_command

work, number = pathlib.Path(sys.argv[1]), sys.argv[2]
(work / f"ready-{number}").touch()
while not (work / "go").exists():
    time.sleep(0.005)
for _ in range(3):
    call_command("actes", "worker", "--once")
"""


def test_workers_side_by_side_transmit_each_archive_once(pki, work, start_ministry):
    platform = maildir_platform(pki, work, start_ministry)
    acts = [platform.create(f"2026_P{n:03d}") for n in range(ACTS)]
    env = subprocess_env(
        MINISTRY_ACTES_URL=platform.ministry.url,
        MINISTRY_CLIENT_CERT=str(pki.platform_cert),
        MINISTRY_CLIENT_KEY=str(pki.platform_key),
        MINISTRY_SERVER_CERT=str(pki.server_cert),
        ACTES_INBOX_URL=f"maildir://{platform.inbox.path}",
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(work), str(n)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    deadline = time.monotonic() + 120
    while len(list(work.glob("ready-*"))) < WORKERS:
        assert time.monotonic() < deadline and all(w.poll() is None for w in workers)
        time.sleep(0.05)
    (work / "go").touch()
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0 and "échec" not in err, out + err
    platform.run_until(
        lambda: not Transaction.objects.acts().exclude(status=Status.ACQUITTEMENT_RECU).exists()
    )

    envelopes = Envelope.objects.all()
    assert len(envelopes) == ACTS  # one archive built per act, whoever checked it
    assert {(e.state, e.attempts) for e in envelopes} == {(EnvelopeState.SENT, 1)}
    received = platform.ministry.rows("SELECT name, times, outcome FROM archives ORDER BY name")
    assert received == [
        {"name": e.archive_name, "times": 1, "outcome": "traitée"}
        for e in sorted(envelopes, key=lambda e: e.archive_name)
    ]
    for act in acts:
        statuses = list(act.history.order_by("at", "id").values_list("status", flat=True))
        assert statuses == [
            Status.POSTE,
            Status.EN_ATTENTE_TRANSMISSION,
            Status.TRANSMIS,
            Status.ACQUITTEMENT_RECU,
        ]
    assert InboundMessage.objects.filter(state=InboundState.APPLIED).count() == ACTS
    # Three processes appended to the audit journal together: still one unbroken chain.
    report = verify_chain()
    assert report.ok, report.reason
