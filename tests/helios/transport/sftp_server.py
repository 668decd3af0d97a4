"""A real SFTP server (paramiko) on loopback, in a thread: a directory, password authentication."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import paramiko

from .servers import PASSWORD, USER, Server


class _SshAuth(paramiko.ServerInterface):
    def check_auth_password(self, username: str, password: str) -> int:
        ok = (username, password) == (USER, PASSWORD)
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def stat(self) -> paramiko.SFTPAttributes | int:
        try:
            return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)


def _sftp_errors(method: Any) -> Any:
    def wrapper(self: Any, *args: Any) -> Any:
        try:
            return method(self, *args)
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)

    return wrapper


class _Files(paramiko.SFTPServerInterface):
    """A directory served over SFTP, confined to ``root``."""

    def __init__(self, server: Any, root: str) -> None:
        super().__init__(server)
        self.root = os.path.realpath(root)

    def _path(self, path: str) -> str:
        full = os.path.realpath(os.path.join(self.root, path.lstrip("/")))
        if full != self.root and not full.startswith(self.root + os.sep):
            raise PermissionError(13, "outside root")
        return full

    @_sftp_errors
    def list_folder(self, path: str) -> list[paramiko.SFTPAttributes]:
        folder = self._path(path)
        return [
            paramiko.SFTPAttributes.from_stat(os.stat(os.path.join(folder, n)), filename=n)
            for n in os.listdir(folder)
        ]

    @_sftp_errors
    def stat(self, path: str) -> paramiko.SFTPAttributes:
        return paramiko.SFTPAttributes.from_stat(os.stat(self._path(path)))

    lstat = stat

    @_sftp_errors
    def open(self, path: str, flags: int, attr: Any) -> _Handle:
        writing = flags & (os.O_WRONLY | os.O_RDWR)
        fd = os.open(self._path(path), flags | getattr(os, "O_BINARY", 0), 0o644)
        handle = _Handle(flags)
        handle.readfile = handle.writefile = os.fdopen(
            fd, "r+b" if writing and flags & os.O_RDWR else "wb" if writing else "rb"
        )
        return handle

    @_sftp_errors
    def rename(self, oldpath: str, newpath: str) -> int:
        if os.path.exists(self._path(newpath)):
            return paramiko.SFTP_FAILURE  # SFTP v3: rename never overwrites
        os.rename(self._path(oldpath), self._path(newpath))
        return paramiko.SFTP_OK

    @_sftp_errors
    def posix_rename(self, oldpath: str, newpath: str) -> int:
        os.replace(self._path(oldpath), self._path(newpath))
        return paramiko.SFTP_OK

    @_sftp_errors
    def mkdir(self, path: str, attr: Any) -> int:
        os.mkdir(self._path(path))
        return paramiko.SFTP_OK


@contextmanager
def sftp_server(root: Path) -> Iterator[Server]:
    """Serve ``root`` (with ``entree/`` and ``sortie/``) over SFTP, password authentication only."""
    for sub in ("entree", "sortie"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    key = paramiko.ECDSAKey.generate()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    transports: list[paramiko.Transport] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            transport = paramiko.Transport(conn)
            transport.add_server_key(key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _Files, str(root))
            transports.append(transport)
            try:
                transport.start_server(server=_SshAuth())
            except (paramiko.SSHException, EOFError, OSError):
                transport.close()  # the client hung up during negotiation (e.g. host key refused)

    thread = threading.Thread(target=accept, name="test-sftp", daemon=True)
    thread.start()
    try:
        host, port = listener.getsockname()[:2]
        yield Server(host, port, root, "sftp", host_key=f"{key.get_name()} {key.get_base64()}")
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for transport in transports:
            transport.close()
