"""``bouquet simulate-ministry``: run the @ctes ministry simulator (defaults: demo PKI, files under var/)."""

import argparse
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bouquet.simulators.ministry import server
from bouquet.simulators.ministry.config import SimulatorConfig, add_server_arguments

OPTION_NAMES = (
    "listen", "cert", "key", "client_ca", "deliver", "state_dir", "ui_listen", "authority",
    "authorities_file", "faults", "auto_answer_replies", "hold_cancellations", "fail_next", "delay",
    "timeout_mode", "drop_answers", "duplicate_answers", "refuse_tls",
)  # fmt: skip


class Command(BaseCommand):
    help = "Lance le simulateur de la plateforme @ctes du ministère (dépôt HTTPS, réponses par courriel)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_server_arguments(parser, required=False)

    def handle(self, *args: object, **options: object) -> None:
        values = {name: options[name] for name in OPTION_NAMES}
        base = Path(settings.VAR_DIR) / "ministry"
        values["state_dir"] = values["state_dir"] or str(base / "state")
        # Embedded default: answer straight into the platform's own ACTES inbox when it is a Maildir.
        inbox = settings.ACTES_INBOX_URL
        values["deliver"] = values["deliver"] or (
            inbox if inbox.startswith("maildir://") else f"maildir://{base / 'maildir'}"
        )
        if not (values["cert"] and values["key"] and values["client_ca"]):
            from bouquet.pki.demo_pki import generate_demo_pki

            demo = generate_demo_pki(Path(settings.PKI_DIR) / "demo")
            values["cert"] = values["cert"] or str(demo.server_cert)
            values["key"] = values["key"] or str(demo.server_key)
            values["client_ca"] = values["client_ca"] or str(demo.ca_chain)
        server.main(config=SimulatorConfig.from_options(argparse.Namespace(**values)))
