"""The DGFiP gateway simulator: a real FTP(S) server (pyftpdlib) that answers PES files with acquits.

Uploads land in ``<root>/entree/``; each completed one is checked in a worker thread (so the FTP loop
stays responsive, and an answer can be delayed like the real, asynchronous DGFiP) and its PES_ACQUIT
appears in ``<root>/sortie/``. Everything is logged in a SQLite state file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler
from pyftpdlib.servers import FTPServer

from .analysis import P_MSG, analyse
from .documents import acquit_name, acquit_xml
from .faults import Faults, load_faults
from .state import PENDING, State

__all__ = ["Config", "Simulator"]

logger = logging.getLogger("bouquet.simulators.dgfip")

_SITE_PARAMETERS = ("P_DEST", "P_APPLI", "P_MSG")
_SITE_CMDS = {
    f"SITE {name}": dict(perm=None, auth=True, arg=True, help=f"Syntax: SITE <SP> {name} <SP> value.")
    for name in (*_SITE_PARAMETERS, "META")
}


@dataclass(frozen=True)
class Config:
    """How to run the simulator (see ``python -m bouquet.simulators.dgfip --help``)."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 2121
    user: str = "tdt"
    password: str = "tdt"  # noqa: S105 - a local simulator's default
    faults: Path | None = None
    state: Path | None = None
    appli: str = "GHELPES2"
    tls_cert: Path | None = None
    tls_key: Path | None = None


def _check_site(name: str, value: str, appli: str) -> str | None:
    """Error message for a bad SITE value, ``None`` when acceptable."""
    if not value or any(c.isspace() for c in value):
        return f"{name} must be a single non-empty word."
    if name == "P_APPLI" and value != appli:
        return f"P_APPLI must be {appli}."
    if name == "P_MSG" and not P_MSG.match(value):
        return "P_MSG must read PES#<CodCol>#<IdPost>#<CodBud>."
    return None


class _SessionMixin:
    """Control connection: fault reading, routing SITE commands, hand-over of received files."""

    simulator: Simulator
    proto_cmds: dict[str, Any]

    def on_connect(self) -> None:
        self.faults = self.simulator.faults()
        self.metadata: dict[str, str] = {}
        if self.faults.refuse_connections:
            self.respond("421 Service not available, closing control connection.")  # type: ignore[attr-defined]
            self.close_when_done()  # type: ignore[attr-defined]
            logger.info("connection refused (fault refuse_connections)")

    def _site(self, name: str, value: str) -> None:
        if self.faults.refuses_site(name):
            self.respond(f"550 SITE {name} refused.")  # type: ignore[attr-defined]
            return
        error = _check_site(name, value.strip(), self.simulator.config.appli)
        if error:
            self.respond(f"501 {error}")  # type: ignore[attr-defined]
            return
        self.metadata[name] = value.strip()
        self.respond(f"200 {name} ok.")  # type: ignore[attr-defined]

    def ftp_SITE_P_DEST(self, value: str) -> None:
        self._site("P_DEST", value)

    def ftp_SITE_P_APPLI(self, value: str) -> None:
        self._site("P_APPLI", value)

    def ftp_SITE_P_MSG(self, value: str) -> None:
        self._site("P_MSG", value)

    def ftp_SITE_META(self, value: str) -> None:
        """Passtrans FTPS: ``SITE META P_DEST=x;P_APPLI=y;P_MSG=z`` in one command."""
        if self.faults.refuses_site("META"):
            self.respond("550 SITE META refused.")  # type: ignore[attr-defined]
            return
        pairs = dict(p.partition("=")[::2] for p in value.strip().split(";") if p.strip())
        errors = [_check_site(k, pairs.get(k, ""), self.simulator.config.appli) for k in _SITE_PARAMETERS]
        if set(pairs) - set(_SITE_PARAMETERS) or any(errors):
            self.respond(f"501 {next((e for e in errors if e), 'Unknown META key.')}")  # type: ignore[attr-defined]
            return
        self.metadata.update(pairs)
        self.respond("200 META ok.")  # type: ignore[attr-defined]

    def on_file_received(self, file: str) -> None:
        self.simulator.received(Path(file), dict(self.metadata), self.faults)

    def on_incomplete_file_received(self, file: str) -> None:
        self.simulator.incomplete(Path(file), dict(self.metadata))


class _FaultDTPMixin:
    """Data connection: bandwidth throttling and uploads cut after N bytes."""

    tot_bytes_received: int
    receive: bool

    def __init__(self, sock: Any, cmd_channel: Any) -> None:
        faults: Faults = cmd_channel.faults
        self.read_limit = self.write_limit = faults.throttle_bytes_per_second
        self._cut_after = faults.cut_upload_after_bytes
        self._cut = False
        super().__init__(sock, cmd_channel)  # type: ignore[call-arg]

    def recv(self, buffer_size: int) -> bytes:
        chunk: bytes = super().recv(buffer_size)  # type: ignore[misc]
        if self.receive and self._cut_after is not None:
            room = max(self._cut_after - self.tot_bytes_received, 0)
            if len(chunk) >= room:
                chunk, self._cut = chunk[:room], True
        return chunk

    def handle_read_event(self) -> None:
        """Read as usual, then drop the connection once the cut is reached (after SSL's own hook)."""
        self.handle_read()  # type: ignore[attr-defined]
        if self._cut and not self._closed:  # type: ignore[attr-defined]
            self.transfer_finished = False
            self._resp = ("426 Connection closed; transfer aborted.", logger.debug)
            self.close()  # type: ignore[attr-defined]


class Simulator:
    """Bind with the constructor, run with :meth:`serve_forever`, stop from any thread with :meth:`stop`."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.root.resolve()
        self.entree, self.sortie = self.root / "entree", self.root / "sortie"
        for directory in (self.entree, self.sortie):
            directory.mkdir(parents=True, exist_ok=True)
        self.state = State(config.state or self.root / "dgfip-state.sqlite3")
        self._stop = threading.Event()
        self._timers: set[threading.Timer] = set()
        self.server = FTPServer((config.host, config.port), self._handler())

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) actually bound (useful with port 0)."""
        host, port = self.server.socket.getsockname()[:2]
        return host, port

    def _handler(self) -> type:
        authorizer = DummyAuthorizer()
        authorizer.add_user(self.config.user, self.config.password, str(self.root), perm="el")
        authorizer.override_perm(self.config.user, str(self.entree), "elw", recursive=True)
        authorizer.override_perm(self.config.user, str(self.sortie), "elrd", recursive=True)
        if self.config.tls_cert:
            try:
                from pyftpdlib.handlers.ftps.control import TLS_FTPHandler
                from pyftpdlib.handlers.ftps.data import TLS_DTPHandler
            except ImportError as exc:
                raise RuntimeError("FTPS needs pyOpenSSL (pip install pyopenssl).") from exc
            base, dtp = TLS_FTPHandler, (TLS_DTPHandler, _FaultDTPMixin, ThrottledDTPHandler)
            extra = {"certfile": str(self.config.tls_cert), "tls_control_required": True}
            extra |= {"keyfile": str(self.config.tls_key) if self.config.tls_key else None}
        else:
            base, dtp, extra = FTPHandler, (_FaultDTPMixin, ThrottledDTPHandler), {}
        return type(
            "DGFiPHandler",
            (_SessionMixin, base),
            {
                "simulator": self,
                "authorizer": authorizer,
                "banner": "Passerelle DGFiP simulee (Bouquet) prete.",
                "proto_cmds": {**base.proto_cmds, **_SITE_CMDS},
                "dtp_handler": type("DGFiPDataHandler", dtp, {}),
                **extra,
            },
        )

    def faults(self) -> Faults:
        """The fault modes in force, reread from the file at each call."""
        return load_faults(self.config.faults)

    def serve_forever(self) -> None:
        """Run the FTP loop until :meth:`stop`; then close every connection and wait for the workers."""
        logger.info("DGFiP simulator listening on %s:%s, root %s", *self.address, self.root)
        try:
            while not self._stop.is_set():
                self.server.ioloop.loop(timeout=0.05, blocking=False)
        finally:
            self.server.close_all()
            for timer in list(self._timers):
                timer.cancel()
                timer.join(timeout=10)
            logger.info("DGFiP simulator stopped")

    def stop(self) -> None:
        """Ask the loop to stop (thread- and signal-safe)."""
        self._stop.set()

    # -- files -------------------------------------------------------------------------------------
    def received(self, path: Path, metadata: dict[str, str], faults: Faults) -> None:
        """A completed upload: log it, drop replays, schedule the answer."""
        if path.parent != self.entree:
            return
        digest, size = _sha256(path), path.stat().st_size
        replay = self.state.already_taken_in(path.name, digest)
        entry = self.state.record(path.name, size, digest, metadata, "duplicate" if replay else PENDING)
        logger.info(
            "upload entree/%s %d bytes sha256=%s P_MSG=%s%s",
            path.name,
            size,
            digest[:12],
            metadata.get("P_MSG", "-"),
            " (duplicate: not acknowledged again)" if replay else "",
        )
        if replay:
            return
        timer = threading.Timer(faults.acquit_delay_seconds, self._answer, (entry, path, metadata, faults))
        timer.daemon = True
        self._timers.add(timer)
        timer.start()

    def incomplete(self, path: Path, metadata: dict[str, str]) -> None:
        """A dropped upload: discard the partial file, as the gateway would, then log it (whoever reads
        the verdict finds the file already gone)."""
        size = path.stat().st_size if path.exists() else 0
        path.unlink(missing_ok=True)
        self.state.record(path.name, size, "", metadata, "incomplete")
        logger.info("upload entree/%s incomplete after %d bytes: discarded", path.name, size)

    def _answer(self, entry: int, path: Path, metadata: dict[str, str], faults: Faults) -> None:
        try:
            verdict = analyse(path, metadata)
            if verdict.status == "no_answer_expected" or faults.no_acquit:
                status = "withheld" if faults.no_acquit else verdict.status
                self.state.conclude(entry, status, detail=",".join(verdict.errors))
                logger.info("no acquit for %s: %s", path.name, status)
                return
            data = acquit_xml(verdict.identity, list(verdict.items))
            name = acquit_name(path.name)
            names = [name] + (
                [re.sub(r"(\.xml)?$", "_2\\1", name, count=1)] if faults.duplicate_acquit else []
            )
            for each in names:
                self._publish(each, data)
            self.state.conclude(entry, verdict.status, ",".join(names), ",".join(verdict.errors))
            logger.info(
                "acquit %s for %s: %s %s",
                ", ".join(f"sortie/{n}" for n in names),
                path.name,
                verdict.status,
                " ".join(verdict.errors),
            )
        except Exception:  # noqa: BLE001 - a worker must log, never die silently
            logger.exception("processing of %s failed", path.name)
            self.state.conclude(entry, "error")
        finally:
            self._timers.discard(threading.current_thread())  # type: ignore[arg-type]

    def _publish(self, name: str, data: bytes) -> None:
        """Write atomically so a polling client never downloads half an acquit."""
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".acquit-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, self.sortie / name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
