"""Passtrans SFTP towards Hélios: no commands, the routing metadata is the remote file name.

The name is ``<P_DEST>%%<P_APPLI>%%<P_MSG>%%<sha1 of the bytes sent>`` (S²LOW
``DGFiPConnectorOnSFTP``). The server's host key is pinned: an SSH transport that accepts any
key would hand public-accounting files to whoever answers on the address.
"""

from __future__ import annotations

import base64
import hashlib
import io
import posixpath
import socket
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import paramiko

from .base import PesMetadata, TransportError, check_remote_name, transient_errors, unused_name
from .ftp import MAX_FETCH_SIZE

__all__ = ["SftpDgfipClient", "parse_host_key"]

_NETWORK_ERRORS = (OSError, EOFError, paramiko.SSHException)


def parse_host_key(line: str) -> paramiko.PKey:
    """``"<type> <base64>"`` (a known_hosts entry without its host part) → public key."""
    try:
        key_type, blob = line.split()[:2]
        return paramiko.PKey.from_type_string(key_type, base64.b64decode(blob))
    except (ValueError, paramiko.SSHException) as exc:
        raise ValueError(f"Clé d'hôte SSH illisible : {line!r}") from exc


def _failures(action: str) -> Any:
    return transient_errors(action, _NETWORK_ERRORS)


class SftpDgfipClient:
    """DGFiP client over SFTP (Passtrans).

    :param host_key: the server's public key, ``"<type> <base64>"``; required (no trust on first use).
    :param key_file: private key for public-key authentication, instead of or with ``password``.
    :param atomic: upload under a hidden temporary name, then rename (see :class:`FtpDgfipClient`):
        off by default, since Passtrans reads the metadata from the name of the file written.
    """

    def __init__(
        self,
        host: str,
        port: int = 22,
        user: str = "",
        password: str | None = None,
        *,
        host_key: str,
        key_file: str | None = None,
        entree: str = "/entree",
        sortie: str = "/sortie",
        processed: str = "/sortie/traites",
        errors: str = "/sortie/erreurs",
        timeout: float = 60,
        atomic: bool = False,
        max_fetch_size: int = MAX_FETCH_SIZE,
    ) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.host_key = parse_host_key(host_key)
        self.key_file = key_file
        self.entree, self.sortie, self.processed, self.errors = entree, sortie, processed, errors
        self.timeout, self.atomic, self.max_fetch_size = timeout, atomic, max_fetch_size

    def __repr__(self) -> str:
        return f"<SftpDgfipClient sftp://{self.user}@{self.host}:{self.port}>"

    @contextmanager
    def _session(self) -> Iterator[paramiko.SFTPClient]:
        with _failures(f"Connexion SFTP à la DGFiP {self.host}:{self.port}"):
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
            transport = paramiko.Transport(sock)
        try:
            with _failures(f"Connexion SFTP à la DGFiP {self.host}:{self.port}"):
                transport.banner_timeout = transport.auth_timeout = self.timeout
                pkey = paramiko.PKey.from_path(self.key_file) if self.key_file else None
                # connect() checks the host key and raises on a mismatch.
                transport.connect(
                    hostkey=self.host_key, username=self.user, password=self.password, pkey=pkey
                )
                sftp = paramiko.SFTPClient.from_transport(transport)
                if sftp is None:
                    raise paramiko.SSHException("sous-système SFTP indisponible")
                sftp.get_channel().settimeout(self.timeout)
            yield sftp
        finally:
            transport.close()

    def remote_name_for(self, data: bytes, meta: PesMetadata) -> str:
        """The name under which :meth:`send` deposits ``data``."""
        return meta.sftp_name(hashlib.sha1(data, usedforsecurity=False).hexdigest())

    def send(self, data: bytes, *, remote_name: str, meta: PesMetadata) -> None:
        """Deposit ``data`` in ``entree`` under its metadata name (``remote_name`` is only logged).

        Idempotence: the name contains the file's SHA-1, so a file of that name and size already in
        ``entree`` is this very content, left by an attempt whose success was not recorded.

        :raises TransportError: ``permanent=False`` on any failure (SFTP has no metadata refusal).
        """
        name = self.remote_name_for(data, meta)
        final = posixpath.join(self.entree, name)
        target = posixpath.join(self.entree, f".{name}.part") if self.atomic else final
        with self._session() as sftp, _failures(f"Dépôt SFTP de {remote_name}"):
            if self._size(sftp, final) == len(data):
                return
            sftp.putfo(io.BytesIO(data), target, file_size=len(data), confirm=True)
            if target != final:
                self._rename(sftp, target, final)

    @staticmethod
    def _size(sftp: paramiko.SFTPClient, path: str) -> int | None:
        try:
            return sftp.stat(path).st_size
        except FileNotFoundError:
            return None

    @staticmethod
    def _rename(sftp: paramiko.SFTPClient, source: str, target: str) -> None:
        try:
            sftp.posix_rename(source, target)  # replaces a stale target atomically
        except OSError:
            sftp.rename(source, target)  # servers without the posix-rename extension

    def list_incoming(self) -> list[str]:
        """Regular files of ``sortie``, without ``PESALR2_*`` echoes or hidden partial files."""
        with self._session() as sftp, _failures(f"Liste SFTP de {self.sortie}"):
            names = self._files(sftp, self.sortie)
        return sorted(n for n in names if not n.startswith(("PESALR2_", ".")))

    @staticmethod
    def _files(sftp: paramiko.SFTPClient, directory: str) -> list[str]:
        return [a.filename for a in sftp.listdir_attr(directory) if stat.S_ISREG(a.st_mode or 0)]

    def fetch(self, name: str) -> bytes:
        """Download one file of ``sortie``, refusing it past ``max_fetch_size`` (as FTP)."""
        check_remote_name(name)
        with self._session() as sftp, _failures(f"Téléchargement SFTP de {name}"):
            with sftp.open(posixpath.join(self.sortie, name), "rb") as remote:
                remote.prefetch()
                data = remote.read(self.max_fetch_size + 1)
        if len(data) > self.max_fetch_size:
            raise TransportError(f"{name} dépasse {self.max_fetch_size} octets.", permanent=True)
        if not data:
            raise TransportError(f"{name} est vide.", permanent=False)
        return data

    def mark_processed(self, name: str) -> None:
        if self.processed:
            self._move(name, self.processed, None)

    def mark_error(self, name: str, reason: str) -> None:
        if self.errors:
            self._move(name, self.errors, reason)

    def _move(self, name: str, directory: str, reason: str | None) -> None:
        check_remote_name(name)
        with self._session() as sftp, _failures(f"Déplacement SFTP de {name}"):
            try:
                sftp.mkdir(directory)
            except OSError:
                pass  # already there
            target = unused_name(name, self._files(sftp, directory))
            sftp.rename(posixpath.join(self.sortie, name), posixpath.join(directory, target))
            if reason is not None:
                note = io.BytesIO(reason.encode("utf-8"))
                sftp.putfo(note, posixpath.join(directory, target + ".erreur.txt"))
