"""``bouquet run``: the whole platform on one machine (web app, task worker, TLS edge), supervised.

The children are a declarative list (``CHILDREN``): add a ``Child`` to run one more process.
Ctrl-C or SIGTERM stops them all; if one dies, the others are stopped and the command fails.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from bouquet.config.nginx import NginxProcess, find_nginx, render_nginx_conf

PYTHON = sys.executable
STOP_TIMEOUT = 15.0


@dataclass(frozen=True)
class Child:
    """A supervised process: ``argv(options)`` builds its command line; it is ready once its
    ``port(options)`` (if any) accepts connections on 127.0.0.1; ``count(options)`` copies run."""

    name: str
    argv: Callable[[dict], list[str]]
    enabled: Callable[[dict], bool] = lambda options: True
    port: Callable[[dict], int | None] = lambda options: None
    count: Callable[[dict], int] = lambda options: 1


def _gunicorn(o: dict) -> list[str]:
    return [
        PYTHON, "-m", "gunicorn", "bouquet.config.wsgi:application",
        "--bind", f"127.0.0.1:{o['web_port']}", "--workers", str(o["workers"]),
        "--timeout", "300", "--access-logfile", "-", "--error-logfile", "-", "--no-control-socket",
    ]  # fmt: skip


BOUQUET = [PYTHON, "-m", "bouquet.cli"]


def _with_worker(o: dict) -> bool:
    return not o["no_worker"]


def _with_simulators(o: dict) -> bool:
    return not o["no_simulators"]


def _ministry(o: dict) -> list[str]:
    """The @ctes simulator, knowing every member authority as registered with the prefecture."""
    sirens = [arg for siren in o["sirens"] for arg in ("--authority", siren)]
    return [*BOUQUET, "simulate_ministry", "--listen", f"127.0.0.1:{o['ministry_port']}",
            "--ui-listen", f"127.0.0.1:{o['ministry_ui_port']}", *sirens]  # fmt: skip


CHILDREN: list[Child] = [
    Child("web", _gunicorn, port=lambda o: o["web_port"]),
    Child("worker", lambda o: [*BOUQUET, "db_worker"], enabled=_with_worker),
    Child("scheduler", lambda o: [*BOUQUET, "scheduler"], enabled=_with_worker),
    # Several ACTES workers claim their rows and share the work (two on a 2-core PostgreSQL host:
    # one overlaps the other's waits on the database and the ministry, docs/benchmarks.md).
    Child(
        "actes",
        lambda o: [*BOUQUET, "actes", "worker"],
        enabled=_with_worker,
        count=lambda o: o["actes_workers"],
    ),
    Child("helios", lambda o: [*BOUQUET, "helios", "worker"], enabled=_with_worker),
    # Platform health samples kept as evidence around procurement deadlines.
    Child("marches-health", lambda o: [*BOUQUET, "marches_bids", "monitor"], enabled=_with_worker),
    Child("ministere", _ministry, enabled=_with_simulators, port=lambda o: o["ministry_port"]),
    Child(
        "dgfip",
        lambda o: [*BOUQUET, "simulate_dgfip", "--listen", f"127.0.0.1:{o['dgfip_port']}"],
        enabled=_with_simulators,
        port=lambda o: o["dgfip_port"],
    ),  # fmt: skip
    Child(
        "nginx",
        lambda o: o["nginx"].argv,
        enabled=lambda o: o["nginx"] is not None,
        port=lambda o: o["tls_port"],
    ),
]


class Command(BaseCommand):
    help = "Lance la plateforme complète (application web, tâches de fond, terminaison TLS nginx)."

    def add_arguments(self, parser):
        parser.add_argument("--web-port", type=int, default=8000)
        parser.add_argument("--tls-port", type=int, default=8443)
        parser.add_argument("--workers", type=int, default=2, help="processus gunicorn")
        parser.add_argument(
            "--no-nginx", action="store_true", help="sans terminaison TLS (pas de certificat)"
        )
        parser.add_argument("--no-worker", action="store_true", help="sans exécution des tâches de fond")
        parser.add_argument(
            "--actes-workers", type=int, default=1, help="processus de traitement ACTES (2 sur PostgreSQL)"
        )
        parser.add_argument(
            "--no-simulators", action="store_true", help="sans simulateurs (ministère, DGFiP)"
        )
        parser.add_argument("--ministry-port", type=int, default=8444)
        parser.add_argument("--ministry-ui-port", type=int, default=8445)
        parser.add_argument("--dgfip-port", type=int, default=2121)

    def handle(self, *args, **options):
        if options["actes_workers"] < 1:
            raise CommandError("--actes-workers doit valoir au moins 1 (ou --no-worker : aucun traitement).")
        call_command("collectstatic", interactive=False, verbosity=0)
        # The children inherit it: nginx sends it, the application demands it.
        options["proxy_secret"] = settings.TRUSTED_PROXY_SECRET or secrets.token_urlsafe(32)
        os.environ["TRUSTED_PROXY_SECRET"] = options["proxy_secret"]
        options["nginx"] = None if options["no_nginx"] else self.prepare_nginx(options)
        options["sirens"] = [] if options["no_simulators"] else _member_sirens()
        children = [child for child in CHILDREN if child.enabled(options)]
        running: list[tuple[Child, subprocess.Popen]] = []
        with _StopFlag() as stop:
            try:
                for child in children:
                    for _ in range(child.count(options)):
                        process = subprocess.Popen(child.argv(options), stdin=subprocess.DEVNULL)
                        running.append((child, process))
                self.wait_ports(running, options, stop)
                self.print_urls(options)
                failed = self.supervise(running, stop)
                time.sleep(0.3)  # a Ctrl-C reaches the children too: let the flag win over their exit
            finally:
                _stop_all(running)
        if failed is not None and not stop.signum:
            raise CommandError(f"le processus « {failed.name} » s'est arrêté ; tout a été arrêté.")

    def prepare_nginx(self, options: dict) -> NginxProcess | None:
        if find_nginx() is None:
            self.stderr.write("nginx est absent : pas d'accès HTTPS ni de connexion par certificat.")
            return None
        from bouquet.pki.demo_pki import generate_demo_pki

        demo = generate_demo_pki(Path(settings.PKI_DIR) / "demo")
        runtime = Path(settings.VAR_DIR) / "run" / "nginx"
        runtime.mkdir(parents=True, exist_ok=True)
        hints = runtime / "ca-hints.pem"
        hints.write_bytes(_ca_hints(demo.ca_chain.read_bytes()))
        listen = f"127.0.0.1:{options['tls_port']}"
        conf = render_nginx_conf(
            runtime_dir=runtime,
            server_cert=demo.server_cert,
            server_key=demo.server_key,
            ca_hints=hints,
            static_root=Path(settings.STATIC_ROOT),
            listen=listen,
            upstream=f"127.0.0.1:{options['web_port']}",
            proxy_secret=options["proxy_secret"],
        )
        nginx = NginxProcess(conf, runtime, listen)
        nginx.prepare()
        return nginx

    def wait_ports(self, running, options: dict, stop: "_StopFlag", timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        for child, process in running:
            port = child.port(options)
            while port is not None and not stop.signum and not _listening(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise CommandError(f"le processus « {child.name} » n'a pas démarré.")
                time.sleep(0.1)

    def print_urls(self, options: dict) -> None:
        self.stdout.write(f"Bouquet est lancé : http://localhost:{options['web_port']}/")
        if options["nginx"] is not None:
            self.stdout.write(
                f"  HTTPS et API S²LOW (certificat client) : https://localhost:{options['tls_port']}/"
            )
        if not options["no_simulators"]:
            self.stdout.write(
                f"  Simulateur de la préfecture (@ctes) : http://localhost:{options['ministry_ui_port']}/\n"
                f"  Simulateur de la DGFiP (Hélios, FTP) : ftp://127.0.0.1:{options['dgfip_port']}/"
            )
        self.stdout.write(
            "  Les comptes de démonstration sont listés par « bouquet demo ». Ctrl-C pour arrêter."
        )

    @staticmethod
    def supervise(running, stop: "_StopFlag") -> Child | None:
        """Block until a signal (returns None) or a child exits (returns that child)."""
        while not stop.signum:
            for child, process in running:
                if process.poll() is not None:
                    return child
            time.sleep(0.2)
        return None


class _StopFlag:
    """Set by SIGINT/SIGTERM while active; the supervision loop then stops the children."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.signum = 0
        self.previous: dict = {}

    def __enter__(self) -> "_StopFlag":
        self.previous = {signum: signal.signal(signum, self.set) for signum in self.SIGNALS}
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def set(self, signum, _frame) -> None:
        self.signum = signum


def _ca_hints(demo_chain: bytes) -> bytes:
    """CA names announced to browsers: the demo chain plus the operator's trust store (full chains)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    from bouquet.pki.models import TrustedCA

    try:
        ders = [bytes(ca.der) for ca in TrustedCA.objects.filter(is_active=True)]
    except DatabaseError:  # not migrated yet: the demo chain is enough
        ders = []
    pems = [c.public_bytes(Encoding.PEM) for c in x509.load_pem_x509_certificates(demo_chain)]
    pems += [x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM) for der in ders]
    return b"".join(dict.fromkeys(pems))


def _member_sirens() -> list[str]:
    from bouquet.core.models import Authority

    try:
        return list(Authority.objects.filter(status="active").values_list("siren", flat=True))
    except DatabaseError:  # not migrated yet
        return []


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _stop_all(running) -> None:
    """SIGTERM to every child still alive (last started first), then SIGKILL after STOP_TIMEOUT."""
    for _child, process in reversed(running):
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for _child, process in reversed(running):
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
