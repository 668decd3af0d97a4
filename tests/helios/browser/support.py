"""The DGFiP side of the browser tests: the simulator process of the HELIOS end-to-end tests
(``python -m bouquet.simulators.dgfip``, started as ``bouquet run`` does) and the real worker steps
(``process_posted``, ``send_pending``, ``poll_incoming``) with our FTP client pointed at it."""

import time

from bouquet.helios import tasks
from bouquet.helios.transport import client_from_url
from tests.e2e.helios.support import WAIT_SECONDS, Dgfip

__all__ = ["Dgfip", "Worker"]


class Worker:
    """What ``bouquet helios worker`` does, one step at a time, against the simulator."""

    def __init__(self, dgfip: Dgfip) -> None:
        self.dgfip = dgfip
        self.client = client_from_url(dgfip.url, timeout=10)

    def send(self) -> dict:
        """Check the posted files, then send them over FTP (three SITE commands, STOR in entree/)."""
        tasks.process_posted.call()
        return tasks.send_pending.call(client=self.client)

    def receive_until(self, done, what: str) -> None:
        """Poll ``sortie/`` until ``done()`` (the simulator answers a moment after the upload)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not done():
            assert time.monotonic() < deadline, (
                f"{what} : délai dépassé\n{self.dgfip.log.read_text()[-3000:]}"
            )
            tasks.poll_incoming.call(client=self.client)
            time.sleep(0.1)
