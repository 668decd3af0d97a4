"""``bouquet actes …``: ``inspect FILE`` (no database), and the workers' passes.

* ``inspect FILE``: diagnose an @ctes message, envelope or archive (JSON on stdout);
* ``process``, ``send``, ``poll``, ``maintenance``: one pass of each job;
* ``alerts``: operator alerts for acts unacknowledged after a few hours;
* ``worker``: process, send, poll and alerts in a loop (what ``bouquet run`` starts).
"""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from bouquet.actes.protocol.inspect import main

PASSES = ("process", "send", "poll", "alerts", "maintenance")


class Command(BaseCommand):
    # `inspect` must work without a database: the system checks run only for the other actions.
    requires_system_checks = []
    help = "@ctes : `actes inspect FICHIER`, ou les traitements process, send, poll, maintenance, worker."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        inspect = sub.add_parser("inspect", help="analyser un fichier XML ou une archive .tar.gz")
        inspect.add_argument("file")
        sub.add_parser("process", help="vérifier les transactions postées (1 → 2 ou -1)")
        sub.add_parser("send", help="envoyer les enveloppes prêtes et les AR 3-2/4-2")
        sub.add_parser("poll", help="lire les retours du ministère dans la boîte de réception")
        sub.add_parser("alerts", help="alerter l'opérateur des actes sans accusé de réception")
        sub.add_parser("maintenance", help="fermeture à 30 jours, alertes, renvois interrompus")
        worker = sub.add_parser("worker", help="process, send, poll et alerts en boucle")
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
            self._worker(options["interval"] or settings.ACTES_WORKER_INTERVAL_SECONDS, options["once"])
        else:
            self._pass(action)

    def _pass(self, action: str) -> None:
        from bouquet.actes import tasks

        job = {
            "process": tasks.process_posted,
            "send": tasks.send_pending,
            "poll": tasks.poll_inbox,
            "alerts": tasks.send_ack_alerts,
            "maintenance": tasks.daily_maintenance,
        }[action]
        self.stdout.write(f"{action} : {job.call()}")

    def _worker(self, interval: int, once: bool) -> None:
        while True:
            for action in ("process", "send", "poll", "alerts"):
                try:
                    self._pass(action)
                except Exception as exc:  # one failing pass must not stop the others
                    self.stderr.write(f"{action} : échec ({exc})")
            if once:
                return
            time.sleep(interval)
