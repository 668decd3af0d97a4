"""``bouquet marches_bids``: the deposit platform's jobs.

- ``monitor [--once]``: health samples (denser around bid deadlines), for the evidence reports;
- ``evidence --consultation PK --output FILE``: the evidence report of a consultation (PDF), for the
  operator asked to prove that the platform worked (journaled, as the system);
- ``vault-check``: every consultation key is present and readable in the vault (nothing unsealed).
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bouquet.core.audit import Actor
from bouquet.marches.bids.models import SealingKey
from bouquet.marches.bids.sealing.errors import VaultError
from bouquet.marches.bids.services.evidence_report import evidence_report
from bouquet.marches.bids.services.health import next_pause, take_sample
from bouquet.marches.bids.services.keys import vault
from bouquet.marches.models import Consultation


class Command(BaseCommand):
    help = "Dépôts des plis : surveillance de la plateforme, rapport de preuve, contrôle du coffre de clés."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        monitor = commands.add_parser("monitor", help="relevés de santé périodiques")
        monitor.add_argument("--once", action="store_true", help="un seul relevé")
        evidence = commands.add_parser("evidence", help="rapport de preuve d'une consultation (PDF)")
        evidence.add_argument("--consultation", type=int, required=True)
        evidence.add_argument("--output", type=Path, required=True)
        commands.add_parser("vault-check", help="vérifie que chaque clé est présente dans le coffre")

    def handle(self, *args, **options):
        getattr(self, "_" + options["command"].replace("-", "_"))(options)

    def _monitor(self, options) -> None:
        while True:
            sample = take_sample("monitor")
            self.stdout.write(
                f"{sample.at:%Y-%m-%d %H:%M:%S} charge {sample.load1:.2f}, "
                f"{sample.uploads_in_progress} envoi(s) en cours"
            )
            if options["once"]:
                return
            time.sleep(next_pause())

    def _evidence(self, options) -> None:
        consultation = Consultation.objects.filter(pk=options["consultation"]).first()
        if consultation is None:
            raise CommandError("Consultation inconnue.")
        options["output"].write_bytes(
            evidence_report(consultation=consultation, actor=Actor.system("opérateur"))
        )
        self.stdout.write(str(options["output"]))

    def _vault_check(self, options) -> None:
        missing = []
        for key in SealingKey.objects.all():
            try:
                if vault().public_key(str(key.key_id)) != bytes(key.public_key):
                    missing.append(f"{key.key_id} (clé publique différente)")
            except VaultError as exc:
                missing.append(f"{key.key_id} ({exc})")
        if missing:
            raise CommandError("Clés en défaut : " + "; ".join(missing))
        self.stdout.write(f"{SealingKey.objects.count()} clé(s) présente(s) dans le coffre.")
