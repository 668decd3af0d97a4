"""Real FTP and FTPS servers (pyftpdlib) on loopback, in a thread, for transport tests.

The FTP handler understands the DGFiP gateway's ``SITE P_DEST/P_APPLI/P_MSG`` and Passtrans's
``SITE META``, records them with every stored file, and can refuse one or drop the connection in
the middle of a STOR.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import DTPHandler, FTPHandler, TLS_FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

USER, PASSWORD = "bouquet", "s3cr3t"
_SITE_COMMANDS = ("P_DEST", "P_APPLI", "P_MSG", "META")


@dataclass
class Server:
    host: str
    port: int
    root: Path
    scheme: str
    #: ("SITE P_DEST", value) for each SITE command, ("STOR", path) for each file received.
    log: list[tuple[str, str]] = field(default_factory=list)
    host_key: str = ""

    @property
    def url(self) -> str:
        return f"{self.scheme}://{USER}:{PASSWORD}@{self.host}:{self.port}/"

    def dir(self, name: str) -> Path:
        return self.root / name


class _SiteMixin:
    """``SITE`` parameters of the DGFiP gateway; ``refuse`` maps a parameter to the reply to send."""

    dgfip_log: list[tuple[str, str]]
    refuse: dict[str, str]
    respond: Any

    def _site(self, name: str, value: str) -> None:
        self.dgfip_log.append((f"SITE {name}", value))
        self.respond(self.refuse.get(name, f"200 {name} pris en compte."))

    def ftp_SITE_P_DEST(self, line: str) -> None:
        self._site("P_DEST", line)

    def ftp_SITE_P_APPLI(self, line: str) -> None:
        self._site("P_APPLI", line)

    def ftp_SITE_P_MSG(self, line: str) -> None:
        self._site("P_MSG", line)

    def ftp_SITE_META(self, line: str) -> None:
        self._site("META", line)

    def on_file_received(self, file: str) -> None:
        self.dgfip_log.append(("STOR", file))


class _DroppingDTP(DTPHandler):
    """Closes the whole session as soon as the first bytes of an upload arrive."""

    def handle_read(self) -> None:
        super().handle_read()
        if self.tot_bytes_received:
            self.cmd_channel.close()

    handle_read_event = handle_read  # the base class aliases its own handle_read


@contextmanager
def ftp_server(
    root: Path,
    *,
    certfile: str | None = None,
    keyfile: str | None = None,
    refuse: dict[str, str] | None = None,
    drop_during_stor: bool = False,
) -> Iterator[Server]:
    """Serve ``root`` (with ``entree/`` and ``sortie/``) over FTP, or explicit FTPS with ``certfile``."""
    for sub in ("entree", "sortie"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    base = TLS_FTPHandler if certfile else FTPHandler
    log: list[tuple[str, str]] = []
    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, str(root), perm="elradfmwMT")
    proto = dict(base.proto_cmds)
    for name in _SITE_COMMANDS:
        proto[f"SITE {name}"] = dict(perm=None, auth=True, arg=True, help=f"SITE {name} <valeur>")
    attrs: dict[str, Any] = {
        "proto_cmds": proto,
        "authorizer": authorizer,
        "dgfip_log": log,
        "refuse": refuse or {},
        "banner": "Passerelle DGFiP de test",
    }
    if certfile:
        attrs.update(certfile=certfile, keyfile=keyfile, ssl_context=None)
        attrs.update(tls_control_required=True, tls_data_required=True)
    if drop_during_stor:
        attrs["dtp_handler"] = _DroppingDTP
    handler = type("DgfipTestHandler", (_SiteMixin, base), attrs)
    ioloop = IOLoop()
    server = FTPServer(("127.0.0.1", 0), handler, ioloop=ioloop)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            ioloop.loop(0.02, blocking=False)  # serve_forever() would log a banner at every turn

    thread = threading.Thread(target=serve, name="test-ftp", daemon=True)
    thread.start()
    try:
        host, port = server.address[:2]
        yield Server(host, port, root, "ftps" if certfile else "ftp", log)
    finally:
        stop.set()
        thread.join(5)
        server.close_all()
