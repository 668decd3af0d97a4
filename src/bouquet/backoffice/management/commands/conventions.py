"""``bouquet conventions kit --siren SIREN [--siren …] --output DIR [--send]``.

Writes each member's convention kit (PDF) into DIR and prints the paths, one a line; with
``--send``, also e-mails it to the member's administrators.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bouquet.backoffice.services.convention_kit import send_convention_kit, write_convention_kit
from bouquet.core.audit import Actor
from bouquet.core.models import Authority

ACTOR = Actor.system("commande conventions kit")


class Command(BaseCommand):
    help = "Conventions avec la préfecture : `conventions kit --siren SIREN --output DOSSIER`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        kit = sub.add_parser(
            "kit", help="générer (et envoyer) le kit de convention d'un ou plusieurs adhérents"
        )
        kit.add_argument("--siren", action="append", required=True, help="SIREN de l'adhérent (répétable)")
        kit.add_argument("--output", required=True, help="dossier où écrire les PDF (créé au besoin)")
        kit.add_argument(
            "--send", action="store_true", help="envoyer aussi le kit par courriel aux administrateurs"
        )

    def handle(self, *args, action, **options):
        if action == "kit":
            self._kit(options["siren"], Path(options["output"]), options["send"])

    def _kit(self, sirens: list[str], output: Path, send: bool) -> None:
        authorities = []
        for siren in sirens:
            authority = (
                Authority.objects.select_related("operator").filter(siren=siren.replace(" ", "")).first()
            )
            if authority is None:
                raise CommandError(f"Aucune collectivité avec le SIREN « {siren} ».")
            authorities.append(authority)
        if output.exists() and not output.is_dir():
            raise CommandError(f"« {output} » existe et n'est pas un dossier.")
        for authority in authorities:
            for path in write_convention_kit(authority=authority, output_dir=output, actor=ACTOR):
                self.stdout.write(str(path))
        if send:
            for result in send_convention_kit(authorities=authorities, actor=ACTOR):
                if result.error:
                    self.stderr.write(f"{result.authority.siren} : kit non envoyé ({result.error})")
                else:
                    self.stderr.write(
                        f"{result.authority.siren} : kit envoyé à {', '.join(result.recipients)}"
                    )
