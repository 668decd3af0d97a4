"""``bouquet actes inspect FILE``: diagnose an @ctes message, envelope or archive (JSON on stdout)."""

import sys

from django.core.management.base import BaseCommand

from bouquet.actes.protocol.inspect import main


class Command(BaseCommand):
    # A pure diagnosis of a file: it must work without a database.
    requires_system_checks = []
    help = "@ctes : `actes inspect FICHIER` analyse un message, une enveloppe ou une archive (JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        inspect = sub.add_parser("inspect", help="analyser un fichier XML ou une archive .tar.gz")
        inspect.add_argument("file")

    def handle(self, *args, action, file, **options):
        # Exit status as the module's: 0 valid, 1 invalid, 2 unreadable.
        code = main([file])
        if code:
            sys.exit(code)
