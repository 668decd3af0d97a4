"""``bouquet helios inspect FILE``: diagnose a PES file (JSON on stdout)."""

import sys

from django.core.management.base import BaseCommand

from bouquet.helios.pes.inspect import main


class Command(BaseCommand):
    # A pure diagnosis of a file: it must work without a database.
    requires_system_checks = []
    help = "PES V2 : `helios inspect FICHIER` analyse un PES_Aller, un acquit ou un PES_Retour (JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        inspect = sub.add_parser("inspect", help="analyser un fichier PES")
        inspect.add_argument("file")

    def handle(self, *args, action, file, **options):
        # Exit status as the module's: 0 valid, 1 invalid, 2 unreadable.
        code = main([file])
        if code:
            sys.exit(code)
