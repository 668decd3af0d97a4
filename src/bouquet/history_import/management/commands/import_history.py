"""`bouquet import-history DIR`: bring in the previous operator's history (docs/history-import.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bouquet.history_import.export_format import Export, ExportError
from bouquet.history_import.importer import HistoryImporter

BAR = 30


class Command(BaseCommand):
    help = "Reprend l'historique de l'opérateur précédent (collectivités, utilisateurs, actes, flux PES)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="dossier de l'export (collectivites.csv, actes.csv…)")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--check", action="store_true", help="vérifie l'export sans rien importer")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, folder: Path, batch_size: int, check: bool, no_progress: bool, **options):
        try:
            importer = HistoryImporter(
                Export(folder), batch_size=batch_size, progress=self._progress(no_progress)
            )
            if check:
                problems = importer.check()
                report = None
            else:
                report = importer.run(source=str(folder))
                problems = report.problems
        except ExportError as error:
            raise CommandError(str(error)) from error
        if problems:
            for problem in problems[:200]:
                self.stderr.write(problem)
            more = f" (dont {len(problems) - 200} non affichés)" if len(problems) > 200 else ""
            raise CommandError(f"Export refusé : {len(problems)} problème(s){more}. Rien n'a été importé.")
        if report is None:
            self.stdout.write("Export vérifié : aucun problème.")
            return
        self.stdout.write("")
        self.stdout.write(
            f"{'SIREN':<10} {'collectivité':<40} {'utilisateurs':>12} {'actes':>8} {'déjà là':>8}"
        )
        for line in report.authorities.values():
            self.stdout.write(
                f"{line.siren:<10} {line.name[:40]:<40} {line.users:>12} {line.actes + line.pes:>8} "
                f"{line.actes_already + line.pes_already:>8}"
            )

    def _progress(self, quiet: bool):
        def show(step: str, done: int, total: int) -> None:
            if quiet or not total:
                return
            filled = BAR * done // total
            self.stderr.write(
                f"\r{step:<14} [{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}", ending=""
            )
            if done == total:
                self.stderr.write("")
            self.stderr.flush()

        return show
