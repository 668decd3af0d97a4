import sys

from django.core.management.base import BaseCommand

from bouquet.core.audit import verify_chain


class Command(BaseCommand):
    help = "Journal d'audit : `journal verify` recalcule la chaîne et nomme la première entrée altérée."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="vérifier l'intégrité de la chaîne")

    def handle(self, *args, action, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"Journal intègre : {report.checked} entrées vérifiées.")
            return
        where = f"entrée n° {report.first_bad_id}" if report.first_bad_id else "fin de chaîne"
        self.stderr.write(
            f"Journal ALTÉRÉ : {where} — {report.reason} ({report.checked} entrées saines avant)."
        )
        sys.exit(1)
