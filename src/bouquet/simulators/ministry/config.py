"""Options of the simulator, shared by ``server.main``, the CLI's ``serve`` and the Django command."""

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

from .faults import FaultConfig

__all__ = ["SimulatorConfig", "add_server_arguments", "build_parser", "parse_hostport", "read_authorities"]


def parse_hostport(value: str) -> tuple[str, int]:
    """``127.0.0.1:8444`` → ("127.0.0.1", 8444); ``[::1]:8444`` accepted."""
    match = re.fullmatch(r"\[?([^\]]+?)\]?:(\d+)", value)
    if not match:
        raise argparse.ArgumentTypeError(f"adresse invalide : {value!r} (hôte:port attendu)")
    return match[1], int(match[2])


def read_authorities(path: str | Path) -> list[str]:
    """SIRENs from a text file: 9 digits at the start of each line, ``#`` comments ignored."""
    sirens = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            if not re.fullmatch(r"\d{9}", line.split()[0]):
                raise ValueError(f"SIREN invalide dans {path} : {line!r}")
            sirens.append(line.split()[0])
    return sirens


@dataclass(frozen=True)
class SimulatorConfig:
    """Everything the running simulator needs."""

    cert: str
    key: str
    client_ca: str
    deliver: str
    state_dir: str
    listen: str = "127.0.0.1:8444"
    ui_listen: str | None = "127.0.0.1:8445"
    authorities: tuple[str, ...] = ()
    faults_file: str | None = None
    faults: FaultConfig = field(default_factory=FaultConfig)
    auto_answer_replies: bool = False
    hold_cancellations: bool = False

    @classmethod
    def from_options(cls, options: argparse.Namespace) -> "SimulatorConfig":
        authorities = list(options.authority or [])
        if options.authorities_file:
            authorities += read_authorities(options.authorities_file)
        return cls(
            cert=options.cert,
            key=options.key,
            client_ca=options.client_ca,
            deliver=options.deliver,
            state_dir=options.state_dir,
            listen=options.listen,
            ui_listen=options.ui_listen or None,
            authorities=tuple(authorities),
            faults_file=options.faults,
            faults=FaultConfig(
                http_500=options.fail_next,
                delay=options.delay,
                timeout=options.timeout_mode,
                drop_answers=options.drop_answers,
                duplicate_answers=options.duplicate_answers,
                refuse_tls=options.refuse_tls,
            ),
            auto_answer_replies=options.auto_answer_replies,
            hold_cancellations=options.hold_cancellations,
        )


def add_server_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """The ``serve`` options (``required=False`` when the caller supplies defaults, e.g. Django)."""
    add = parser.add_argument
    add("--listen", default="127.0.0.1:8444", help="adresse HTTPS de dépôt des archives (hôte:port)")
    add("--cert", required=required, help="certificat serveur (PEM)")
    add("--key", required=required, help="clé privée du certificat serveur (PEM)")
    add("--client-ca", required=required, help="AC (PEM) auxquelles le certificat client doit se rattacher")
    add("--deliver", required=required, help="maildir:///chemin/absolu ou smtp://hôte:port")
    add("--state-dir", required=required, help="répertoire de l'état (SQLite)")
    add(
        "--ui-listen",
        default="127.0.0.1:8445",
        help="adresse de l'interface préfecture (boucle locale ; '' = aucune)",
    )
    add("--authority", action="append", metavar="SIREN", help="SIREN enregistré (répétable)")
    add("--authorities-file", help="fichier de SIREN enregistrés (un par ligne)")
    add("--faults", metavar="FICHIER", help="fichier JSON des pannes, relu à chaque requête")
    add("--auto-answer-replies", action="store_true", help="acquitter automatiquement (3-5/4-5) les réponses")
    add("--hold-cancellations", action="store_true", help="laisser les annulations en attente (6-2 manuel)")
    add("--fail-next", type=int, default=0, metavar="N", help="panne : HTTP 500 pour les N prochains dépôts")
    add("--delay", type=float, default=0.0, metavar="S", help="panne : délai avant la réponse HTTP")
    add("--timeout-mode", action="store_true", help="panne : ne jamais répondre")
    add("--drop-answers", action="store_true", help="panne : 200 mais aucun courriel")
    add("--duplicate-answers", action="store_true", help="panne : chaque courriel envoyé deux fois")
    add("--refuse-tls", action="store_true", help="panne : fermer la connexion pendant la négociation TLS")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simulate-ministry", description="Simulateur de la plateforme @ctes"
    )
    add_server_arguments(parser)
    return parser
