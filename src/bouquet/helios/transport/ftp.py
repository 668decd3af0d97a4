"""FTP gateway (three ``SITE`` commands) and Passtrans FTPS (one ``SITE META``) towards Hélios.

One session per call, as S²LOW does: the gateway ties ``SITE`` parameters to the next transfer
of the same session, and a long-lived session would outlive the DGFiP's idle timeouts.
"""

from __future__ import annotations

import ftplib
import io
import posixpath
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .base import PesMetadata, TransportError, check_remote_name, transient_errors, unused_name

__all__ = ["MAX_FETCH_SIZE", "FtpDgfipClient"]

#: S²LOW (legacy) refused incoming files over 150 MiB.
MAX_FETCH_SIZE = 150 * 1024 * 1024
_NETWORK_ERRORS = (OSError, EOFError, ftplib.Error)


class _FtpTls(ftplib.FTP_TLS):
    """FTP_TLS reusing the control connection's TLS session on data connections.

    Many FTPS servers (vsftpd's ``require_ssl_reuse``, Passtrans-like gateways) refuse data
    connections that do not resume the control session; the standard library never does.
    """

    def ntransfercmd(self, cmd: str, rest: int | str | None = None) -> tuple[Any, int | None]:
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)  # noqa: S321 - wrapped in TLS below
        if self._prot_p:  # type: ignore[attr-defined]
            session = getattr(self.sock, "session", None)
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=session)
        return conn, size


def _failures(action: str) -> Any:
    return transient_errors(action, _NETWORK_ERRORS)


class _TooLarge(Exception):
    pass


class FtpDgfipClient:
    """DGFiP client over FTP (gateway) or explicit FTPS (Passtrans).

    :param tls: explicit FTPS (``AUTH TLS``) with protected data connections (``PROT P``).
    :param site_meta: send ``SITE META`` (Passtrans) instead of the three gateway commands;
        defaults to ``tls``.
    :param cafile: CA bundle that verifies the FTPS server; the system store when ``None``.
    :param atomic: upload under a hidden temporary name, then rename, for servers where a watcher
        of ``entree`` could take a partial file. Off by default: S²LOW stores under the final name,
        and the gateway forwards a file when its STOR completes (an aborted STOR is discarded).
    :param processed: where :meth:`mark_processed` moves files; ``""`` leaves them in place
        (production: the DGFiP removes what was downloaded), the caller then de-duplicates.
    :param delete: :meth:`mark_processed` and :meth:`mark_error` delete the remote file instead
        (S²LOW's simulator mode); the caller keeps its own copy.
    """

    def __init__(
        self,
        host: str,
        port: int = 21,
        user: str = "anonymous",
        password: str = "",
        *,
        entree: str = "/entree",
        sortie: str = "/sortie",
        processed: str = "/sortie/traites",
        errors: str = "/sortie/erreurs",
        tls: bool = False,
        timeout: float = 60,
        site_meta: bool | None = None,
        cafile: str | None = None,
        atomic: bool = False,
        delete: bool = False,
        passive: bool = True,
        max_fetch_size: int = MAX_FETCH_SIZE,
    ) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.entree, self.sortie, self.processed, self.errors = entree, sortie, processed, errors
        self.tls, self.timeout, self.cafile = tls, timeout, cafile
        self.site_meta = tls if site_meta is None else site_meta
        self.atomic, self.delete, self.passive = atomic, delete, passive
        self.max_fetch_size = max_fetch_size

    def __repr__(self) -> str:
        scheme = "ftps" if self.tls else "ftp"
        return f"<FtpDgfipClient {scheme}://{self.user}@{self.host}:{self.port}>"

    @contextmanager
    def _session(self) -> Iterator[ftplib.FTP]:
        ftp: ftplib.FTP
        if self.tls:
            ftp = _FtpTls(context=ssl.create_default_context(cafile=self.cafile), timeout=self.timeout)
        else:
            # The DGFiP gateway speaks plain FTP on its private network link (S²LOW GATEWAY mode).
            ftp = ftplib.FTP(timeout=self.timeout)  # noqa: S321
        try:
            with _failures(f"Connexion à la DGFiP {self.host}:{self.port}"):
                ftp.connect(self.host, self.port)
                ftp.login(self.user, self.password)
                if isinstance(ftp, ftplib.FTP_TLS):
                    ftp.prot_p()
                ftp.set_pasv(self.passive)
                ftp.voidcmd("TYPE I")  # binary: byte fidelity, and SIZE is refused in ASCII mode
            yield ftp
        except BaseException:
            ftp.close()  # no polite QUIT on a broken or aborted session: it could wait for the timeout
            raise
        try:
            ftp.quit()
        except _NETWORK_ERRORS:
            ftp.close()

    # -- sending ------------------------------------------------------------------------------------
    def send(self, data: bytes, *, remote_name: str, meta: PesMetadata) -> None:
        """Deposit ``data`` as ``<entree>/<remote_name>`` after the routing metadata.

        Idempotence: the remote name is allocated once per transaction (platform counter), so a
        file already in ``entree`` under that name with the same size is the earlier attempt whose
        success was not recorded: it is not sent twice. A file already taken by the DGFiP cannot
        be seen any more; the caller's status (sent/not sent, committed after this call) and
        Hélios's own NomFic duplicate check cover that case.

        :raises TransportError: ``permanent=True`` when a metadata command is refused (5xx or any
            reply other than 200); ``permanent=False`` otherwise. A partial upload is removed
            (best effort), so no truncated file stays under the final name.
        """
        check_remote_name(remote_name)
        final = posixpath.join(self.entree, remote_name)
        target = posixpath.join(self.entree, f".{remote_name}.part") if self.atomic else final
        storing = False
        try:
            with self._session() as ftp, _failures(f"Dépôt de {remote_name}"):
                if self._size(ftp, final) == len(data):
                    return
                for command in [meta.meta_command()] if self.site_meta else meta.site_commands():
                    self._metadata_command(ftp, command)
                storing = True
                ftp.storbinary(f"STOR {target}", io.BytesIO(data))
                if target != final:
                    ftp.rename(target, final)
        except TransportError:
            if storing:
                self._discard_partial(target, len(data))
            raise

    def _discard_partial(self, path: str, size: int) -> None:
        """Delete ``path`` unless it is complete; a complete one is what the next attempt skips."""
        try:
            with self._session() as ftp:
                if self._size(ftp, path) not in (None, size):
                    ftp.delete(path)
        except (TransportError, *_NETWORK_ERRORS):
            pass  # the server may have discarded it already, or forbid DELE in entree

    @staticmethod
    def _metadata_command(ftp: ftplib.FTP, command: str) -> None:
        try:
            reply = ftp.sendcmd(command)
        except ftplib.error_perm as exc:
            raise TransportError(f"La DGFiP refuse « {command} » : {exc}", permanent=True) from exc
        if not reply.startswith("200"):
            raise TransportError(f"Réponse inattendue à « {command} » : {reply}", permanent=True)

    @staticmethod
    def _size(ftp: ftplib.FTP, path: str) -> int | None:
        try:
            return ftp.size(path)
        except ftplib.error_perm:  # 550 absent; 500/502 SIZE unsupported: assume absent
            return None

    # -- reception ----------------------------------------------------------------------------------
    def list_incoming(self) -> list[str]:
        """Regular files of ``sortie``, without our own ``PESALR2_*`` echoes or hidden partial files."""
        with self._session() as ftp, _failures(f"Liste de {self.sortie}"):
            names = self._files(ftp, self.sortie)
        return sorted(n for n in names if not n.startswith(("PESALR2_", ".")))

    def _files(self, ftp: ftplib.FTP, directory: str) -> list[str]:
        try:
            return [
                name for name, facts in ftp.mlsd(directory, facts=["type"]) if facts.get("type") == "file"
            ]
        except ftplib.error_perm:
            pass  # no MLSD: NLST, minus our own sub-directories
        subdirs = {posixpath.basename(d.rstrip("/")) for d in (self.processed, self.errors) if d}
        try:
            listed = ftp.nlst(directory)
        except ftplib.error_perm:  # some servers answer 550 for an empty directory
            return []
        return [b for b in (posixpath.basename(n) for n in listed) if b and b not in subdirs]

    def fetch(self, name: str) -> bytes:
        """Download one file of ``sortie`` in binary, refusing it past ``max_fetch_size``.

        :raises TransportError: ``permanent=True`` when too large; ``permanent=False`` when empty
            (it may still be being written) or on network trouble.
        """
        check_remote_name(name)
        buffer = bytearray()

        def collect(chunk: bytes) -> None:
            buffer.extend(chunk)
            if len(buffer) > self.max_fetch_size:
                raise _TooLarge

        try:
            with self._session() as ftp, _failures(f"Téléchargement de {name}"):
                ftp.retrbinary(f"RETR {posixpath.join(self.sortie, name)}", collect)
        except _TooLarge:
            raise TransportError(f"{name} dépasse {self.max_fetch_size} octets.", permanent=True) from None
        if not buffer:
            raise TransportError(f"{name} est vide.", permanent=False)
        return bytes(buffer)

    def mark_processed(self, name: str) -> None:
        """Move ``name`` to ``processed`` (no-op when ``processed`` is empty); call after the commit."""
        if self.processed or self.delete:
            self._move(name, self.processed, None)

    def mark_error(self, name: str, reason: str) -> None:
        """Move ``name`` to ``errors`` with a ``.erreur.txt`` beside it saying why."""
        if self.errors or self.delete:
            self._move(name, self.errors, reason)

    def _move(self, name: str, directory: str, reason: str | None) -> None:
        check_remote_name(name)
        with self._session() as ftp, _failures(f"Déplacement de {name}"):
            if self.delete:
                ftp.delete(posixpath.join(self.sortie, name))
                return
            try:
                ftp.mkd(directory)
            except ftplib.error_perm:
                pass  # already there
            target = unused_name(name, self._files(ftp, directory))
            ftp.rename(posixpath.join(self.sortie, name), posixpath.join(directory, target))
            if reason is not None:
                note = io.BytesIO(reason.encode("utf-8"))
                ftp.storbinary(f"STOR {posixpath.join(directory, target + '.erreur.txt')}", note)
