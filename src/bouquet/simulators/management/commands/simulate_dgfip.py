"""``bouquet simulate-dgfip``: run the DGFiP Hélios simulator (FTP gateway) with files under var/.

The simulator itself never imports Django; this command only fills in the embedded defaults.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bouquet.simulators.dgfip.cli import main


class Command(BaseCommand):
    help = "Lance le simulateur de la passerelle Hélios de la DGFiP (FTP : entree/, sortie/)."
    # Its options are the simulator's own: passed through untouched.
    requires_system_checks = []

    def run_from_argv(self, argv: list[str]) -> None:
        args = argv[2:]
        action, rest = (args[0], args[1:]) if args[:1] in (["serve"], ["retour"]) else ("serve", args)
        if "--root" not in rest:
            rest = ["--root", str(Path(settings.VAR_DIR) / "dgfip"), *rest]
        sys.exit(main([action, *rest]))
