"""``bouquet helios …``: ``inspect FILE`` (no database), and the workers' passes.

* ``inspect FILE``: diagnose a PES file (JSON on stdout; exit 0 valid, 1 invalid, 2 unreadable);
* ``process``, ``send``, ``poll``, ``maintenance``: one pass of each job;
* ``worker``: process, send, poll (at most every ``HELIOS_POLL_INTERVAL_SECONDS``) and maintenance,
  in a loop (what ``bouquet run`` starts).
"""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from bouquet.helios.pes.inspect import main

PASSES = ("process", "send", "poll", "maintenance")


class Command(BaseCommand):
    # `inspect` must work without a database: the system checks run only for the other actions.
    requires_system_checks = []
    help = "PES V2 : `helios inspect FICHIER`, ou les traitements process, send, poll, maintenance, worker."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        inspect = sub.add_parser("inspect", help="analyser un fichier PES")
        inspect.add_argument("file")
        sub.add_parser("process", help="vérifier les transactions postées (1 → 2 ou -1)")
        sub.add_parser("send", help="transmettre à la DGFiP les fichiers en attente")
        sub.add_parser("poll", help="lire les acquittements et PES Retour déposés par la DGFiP")
        sub.add_parser("maintenance", help="transmissions sans acquittement (24), alertes de blocage")
        worker = sub.add_parser("worker", help="process, send, poll et maintenance en boucle")
        worker.add_argument("--interval", type=int, default=None, help="secondes entre deux passages")
        worker.add_argument("--once", action="store_true", help="un seul passage")

    def handle(self, *args, action, **options):
        if action == "inspect":
            # Exit status as the module's: 0 valid, 1 invalid, 2 unreadable.
            code = main([options["file"]])
            if code:
                sys.exit(code)
            return
        self.check()
        if action == "worker":
            self._worker(options["interval"] or settings.HELIOS_WORKER_INTERVAL_SECONDS, options["once"])
        else:
            self._pass(action)

    def _pass(self, action: str) -> None:
        from bouquet.helios import tasks

        job = {
            "process": tasks.process_posted,
            "send": tasks.send_pending,
            "poll": tasks.poll_incoming,
            "maintenance": tasks.daily_maintenance,
        }[action]
        self.stdout.write(f"{action} : {job.call()}")

    def _worker(self, interval: int, once: bool) -> None:
        last_poll = float("-inf")
        while True:
            actions = ["process", "send"]
            if time.monotonic() - last_poll >= settings.HELIOS_POLL_INTERVAL_SECONDS:
                actions.append("poll")
                last_poll = time.monotonic()
            actions.append("maintenance")
            for action in actions:
                try:
                    self._pass(action)
                except Exception as exc:  # one failing pass must not stop the others
                    self.stderr.write(f"{action} : échec ({exc})")
            if once:
                return
            time.sleep(interval)
