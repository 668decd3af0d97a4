"""``bouquet marches …``: the procurement platform's commands.

* ``decp-export --output DIR [--operator ID]``: write the operator's open-data files (DECP JSON
  and XML, buyer profile declaration CSV) after validating the whole dataset against both
  official schemas; prints each path;
* ``decp-check FILE``: read a DECP file (JSON or XML, from any platform) and print what the official
  schema and our coherence rules say of it; exit status 0 valid, 1 invalid, 2 unreadable;
* ``import-history FILE --siren SIREN``: import a previous platform's Excel export of past
  consultations for one member (a second run imports nothing twice).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bouquet.core.audit import Actor
from bouquet.core.models import Authority, Operator


class Command(BaseCommand):
    help = "Marchés publics : `decp-export --output DOSSIER`, `import-history FICHIER --siren SIREN`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser(
            "decp-export", help="écrire les jeux de données DECP (JSON, XML) de l'opérateur"
        )
        export.add_argument("--output", required=True, help="dossier où écrire les fichiers")
        export.add_argument(
            "--operator", type=int, default=None, help="identifiant de l'opérateur (le premier par défaut)"
        )
        check = sub.add_parser("decp-check", help="vérifier un fichier DECP (JSON ou XML)")
        check.add_argument("file")
        history = sub.add_parser("import-history", help="importer l'export Excel d'une ancienne plateforme")
        history.add_argument("file")
        history.add_argument("--siren", required=True, help="SIREN de la collectivité concernée")

    def handle(self, *args, action, **options):
        if action == "decp-export":
            self._export(Path(options["output"]), options["operator"])
        elif action == "decp-check":
            self._check(Path(options["file"]))
        elif action == "import-history":
            self._import(Path(options["file"]), options["siren"])

    def _export(self, output: Path, operator_id: int | None) -> None:
        from bouquet.marches.contracts.opendata import file_names, operator_dataset, operator_files
        from bouquet.marches.decp import validate_dataset

        operators = Operator.objects.order_by("pk")
        operator = operators.filter(pk=operator_id).first() if operator_id else operators.first()
        if operator is None:
            raise CommandError("Aucun opérateur : chargez d'abord les données (bouquet demo) ou créez-en un.")
        dataset = operator_dataset(operator)
        verdict = validate_dataset(dataset)
        schema_errors = verdict.json_findings + verdict.xml_findings
        if len(dataset) and schema_errors:
            for finding in schema_errors:
                self.stderr.write(f"{finding.source_label} — {finding}")
            raise CommandError(
                "Le jeu de données n'est pas conforme aux schémas officiels : rien n'a été écrit."
            )
        output.mkdir(parents=True, exist_ok=True)
        files, names = operator_files(operator), file_names(operator)
        for key in ("json", "xml", "dpa_csv"):
            path = output / names[key]
            path.write_bytes(getattr(files, key))
            self.stdout.write(str(path.resolve()))
        self.stderr.write(
            f"{files.count} marché(s) de {operator.name}, validés par les schémas JSON 2.0.3 et XML 2.0.2."
        )

    def _check(self, path: Path) -> None:
        from bouquet.marches.decp import DecpError, check_rules, read_decp

        try:
            result = read_decp(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Lecture impossible de {path} : {exc.strerror}.") from None
        except DecpError as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        findings = [*result.schema_findings, *result.skipped, *check_rules(result.dataset)]
        self.stdout.write(
            f"{path.name} : {result.format.upper()}, {len(result.dataset.marches)} marché(s), "
            f"{len(result.dataset.concessions)} contrat(s) de concession."
        )
        for finding in findings:
            level = "" if finding.blocking else "(conseil) "
            self.stdout.write(f"- {level}{finding.source_label} — {finding}")
        blocking = [f for f in findings if f.blocking]
        self.stdout.write("Conforme." if not blocking else f"{len(blocking)} problème(s).")
        if blocking:
            sys.exit(1)

    def _import(self, path: Path, siren: str) -> None:
        from bouquet.marches.contracts.errors import HistoryImportError
        from bouquet.marches.contracts.services.import_history import import_history

        authority = Authority.objects.filter(siren=siren).first()
        if authority is None:
            raise CommandError(f"Aucune collectivité de SIREN {siren}.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Lecture impossible de {path} : {exc.strerror}.") from None
        try:
            report = import_history(
                authority=authority,
                actor=Actor.system("commande import-history"),
                data=data,
                filename=path.name,
            )
        except HistoryImportError as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"{authority.name} : {report.created} consultation(s) importée(s), "
            f"{report.already} déjà présente(s) (feuille « {report.sheet} »)."
        )
        if report.ignored:
            self.stdout.write(f"Colonnes gardées sans être reconnues : {', '.join(report.ignored)}.")
