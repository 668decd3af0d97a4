"""A worker killed between the upload and the status save: the file is on the FTP exactly once.

The worker runs in another process (SIGKILL after the STOR completed, before the commit); the next
pass resends the same bytes under the same name, which the transport finds already in ``entree``.
"""

import subprocess
import sys

import pytest

from bouquet.helios import tasks
from bouquet.helios.choices import SendState, Status
from bouquet.helios.models import Transaction
from tests.e2e.actes.support import subprocess_env
from tests.helios.helpers import pes

# Committed for real: the killed worker is another process using the same test database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KILLED_WORKER = """
import os, signal, sys
from unittest import mock

import django

django.setup()
from bouquet.helios import tasks
from bouquet.helios.transport import client_from_url

client = client_from_url(sys.argv[1], timeout=10)
# The STOR completed; the worker dies before the status is saved.
with mock.patch(
    "bouquet.helios.services.send_transaction._mark_sent",
    side_effect=lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL),
):
    tasks.send_pending.call(client=client)
print("not killed")
"""


def test_a_crash_after_the_upload_leaves_exactly_one_file_on_the_ftp(platform, settings):
    transaction = platform.upload(pes("E2E-CRASH"))
    tasks.process_posted.call()
    worker = subprocess.run(
        [sys.executable, "-c", KILLED_WORKER, platform.dgfip.url],
        env=subprocess_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert worker.returncode == -9, worker.stdout + worker.stderr
    transaction.refresh_from_db()
    assert (transaction.status, transaction.send_state) == (Status.EN_ATTENTE_TRANSMISSION, SendState.SENDING)
    assert [e["name"] for e in platform.dgfip.received()] == [transaction.transmitted_name]

    # The next pass, once the claim is old enough, resends: same name, found in entree, not uploaded again.
    settings.HELIOS_STALE_SEND_MINUTES = 0
    platform.reach(transaction, Status.INFORMATION_DISPONIBLE)
    assert [p.name for p in platform.dgfip.entree()] == [transaction.transmitted_name]
    assert [e["verdict"] for e in platform.dgfip.received()] == ["accepted"]
    assert Transaction.objects.get(pk=transaction.pk).history.filter(status=Status.TRANSMIS).count() == 1
