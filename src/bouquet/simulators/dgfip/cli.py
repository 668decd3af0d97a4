"""Command line of the DGFiP simulator: ``serve`` (the default) and ``retour``.

Run as ``python -m bouquet.simulators.dgfip``; it never imports Django, so it behaves as an outside party.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType

from .documents import retour_name, retour_xml
from .server import Config, Simulator

__all__ = ["main", "write_retour"]

logger = logging.getLogger("bouquet.simulators.dgfip")


def _listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError("expected HOST:PORT, e.g. 127.0.0.1:2121")
    return host, int(port)


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bouquet.simulators.dgfip [serve]",
        description="Simulated DGFiP Hélios FTP gateway: PES_Aller in entree/, PES_ACQUIT in sortie/.",
    )
    parser.add_argument("--listen", type=_listen, default=("127.0.0.1", 2121), help="HOST:PORT (port 0: any)")
    parser.add_argument("--user", default="tdt")
    parser.add_argument("--password", default="tdt")
    parser.add_argument("--root", type=Path, required=True, help="directory holding entree/ and sortie/")
    parser.add_argument("--faults", type=Path, help="JSON fault file, reread at each connection")
    parser.add_argument("--state", type=Path, help="SQLite log (default: ROOT/dgfip-state.sqlite3)")
    parser.add_argument("--appli", default="GHELPES2", help="accepted SITE P_APPLI value")
    parser.add_argument("--tls-cert", type=Path, help="PEM certificate: serve explicit FTPS (Passtrans)")
    parser.add_argument("--tls-key", type=Path, help="PEM key, when not in --tls-cert")
    parser.add_argument("--verbose", action="store_true", help="also log every FTP command")
    return parser


def _retour_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bouquet.simulators.dgfip retour",
        description="Write a PES_Retour (dépense) for a collectivité into ROOT/sortie/.",
    )
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--idcoll", required=True, help="SIRET of the collectivité (EnTetePES/IdColl)")
    parser.add_argument("--codcol", required=True, help="code collectivité (EnTetePES/CodColl)")
    parser.add_argument("--codbud", default="01")
    parser.add_argument("--idpost", default="034000")
    return parser


def write_retour(root: Path, *, idcoll: str, codcol: str, codbud: str = "01", idpost: str = "034000") -> Path:
    """Write one PES_Retour into ``root/sortie/`` (atomically) and return its path.

    Hélios names a retour to the second; two retours asked for within the same second would get
    the same name (and the platform applies each name once), so the stamp moves to the next free
    second, remembered in ``root/.last_retour``."""
    root.mkdir(parents=True, exist_ok=True)
    when = datetime.now().replace(microsecond=0)
    last_file = root / ".last_retour"
    if last_file.exists():
        last = datetime.fromisoformat(last_file.read_text().strip())
        when = max(when, last + timedelta(seconds=1))
    last_file.write_text(when.isoformat())
    name = retour_name(codcol, codbud, idpost, when)
    data = retour_xml(nom_fic=name, id_coll=idcoll, cod_col=codcol, cod_bud=codbud, id_post=idpost, when=when)
    sortie = root / "sortie"
    sortie.mkdir(parents=True, exist_ok=True)
    temporary = root / f".{name}.part"
    temporary.write_bytes(data)
    temporary.replace(sortie / name)
    return sortie / name


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s dgfip %(levelname)s %(message)s")
    if argv[:1] == ["retour"]:
        args = _retour_parser().parse_args(argv[1:])
        path = write_retour(
            args.root, idcoll=args.idcoll, codcol=args.codcol, codbud=args.codbud, idpost=args.idpost
        )
        logger.info("retour sortie/%s for IdColl %s", path.name, args.idcoll)
        return 0
    args = _serve_parser().parse_args(argv[1:] if argv[:1] == ["serve"] else argv)
    logging.getLogger("pyftpdlib").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    config = Config(
        root=args.root,
        host=args.listen[0],
        port=args.listen[1],
        user=args.user,
        password=args.password,
        faults=args.faults,
        state=args.state,
        appli=args.appli,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
    )
    try:
        simulator = Simulator(config)
    except (OSError, RuntimeError) as exc:
        logger.error("cannot start: %s", exc)
        return 2

    def _stop(signum: int, frame: FrameType | None) -> None:
        simulator.stop()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    simulator.serve_forever()
    return 0
