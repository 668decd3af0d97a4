"""``bouquet actes …``: ``inspect FILE`` (no database), and the workers' passes.

* ``inspect FILE``: diagnose an @ctes message, envelope or archive (JSON on stdout);
* ``process``, ``send``, ``poll``, ``maintenance``: one pass of each job;
* ``alerts``: operator alerts for acts unacknowledged after a few hours;
* ``worker``: process, send, poll and alerts in a loop (what ``bouquet run`` starts). Each round
  checks one batch, so that acts checked leave while more are being posted. A round that checked a
  full batch is followed at once by the next one; one that moved less waits a moment
  (``ACTES_WORKER_LINGER_MS``) so that the next round finds acts and answers to take together; the
  pause (``--interval``) comes when there is nothing to do. Several workers may run side by side:
  each row is claimed before it is worked on.
"""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from bouquet.actes.protocol.inspect import main

PASSES = ("process", "send", "poll", "alerts", "maintenance")
#: The worker keeps its client and inbox this long (TLS contexts, certificates read from disk, the
#: TLS session to resume), then builds them again: a renewed certificate is taken without a restart.
TRANSPORTS_MAX_AGE_SECONDS = 300


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
        worker.add_argument(
            "--interval", type=float, default=None, help="secondes de pause quand il n'y a rien à faire"
        )
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

    _transports = None
    _transports_at = 0.0

    def transports(self):
        """The client and inbox from the settings, built once per ``TRANSPORTS_MAX_AGE_SECONDS``."""
        from bouquet.actes import transport

        if self._transports is None or time.monotonic() - self._transports_at > TRANSPORTS_MAX_AGE_SECONDS:
            if self._transports is not None and hasattr(self._transports.client, "close"):
                self._transports.client.close()  # its kept-alive connections, not left to the collector
            self._transports = transport.from_settings()
            self._transports_at = time.monotonic()
        return self._transports

    def _pass(self, action: str, quiet: bool = False, **options):
        from bouquet.actes import tasks

        job = {
            "process": tasks.process_posted,
            "send": tasks.send_pending,
            "poll": tasks.poll_inbox,
            "alerts": tasks.send_ack_alerts,
            "maintenance": tasks.daily_maintenance,
        }[action]
        if action in ("send", "maintenance"):
            result = job.call(client=self.transports().client)
        elif action == "poll":
            result = job.call(inbox=self.transports().inbox)
        else:
            result = job.call(**options)
        if not quiet or _moved(action, result):
            self.stdout.write(f"{action} : {result}")
        return result

    def _worker(self, interval: float, once: bool) -> None:
        from bouquet.actes.services.check_transaction import BATCH

        while True:
            moved, checked = False, 0
            for action in ("process", "send", "poll", "alerts"):
                # One batch checked per round: what is checked leaves before more is checked.
                options = {"batches": 1} if action == "process" and not once else {}
                try:
                    result = self._pass(action, quiet=not once, **options)
                except Exception as exc:  # one failing pass must not stop the others
                    self.stderr.write(f"{action} : échec ({exc})")
                    continue
                moved = _moved(action, result) or moved
                if action == "process":
                    checked = result
            if once:
                return
            if not moved:
                time.sleep(interval)
            elif checked < BATCH:
                # Work trickles in: a moment lets more gather, so that the next round checks, sends
                # and records it together (a round costs the same statements for one act or twenty).
                time.sleep(settings.ACTES_WORKER_LINGER_MS / 1000)


def _moved(action: str, result) -> bool:
    """Whether a pass changed something (then the next pass may find more to do right away).

    Envelopes "skipped" (another worker has them) or "deferred" (hourly budget spent) are not progress.
    """
    if action == "send":
        return any(result.get(k) for k in ("sent", "retry", "failed", "resent"))
    if action == "poll":
        return any(result.values())
    return action == "process" and bool(result)
