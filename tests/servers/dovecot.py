"""A private Dovecot IMAP server on 127.0.0.1 (see python-stack.md, appendix "throwaway IMAP server").

Runs ``dovecot -F`` in its own process group from a config in a temporary folder, never touching the
system service. ``kill()`` SIGKILLs that group to simulate a crash or a dropped connection; ``start()``
again brings the same mailboxes back.
"""

import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["Dovecot", "free_port"]

_CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={dir}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    """A private IMAP server; ``with Dovecot() as server:`` then connect to ``127.0.0.1:server.port``."""

    user = "actes"
    password = "secret-de-test"

    def __init__(self, binary: str = "dovecot") -> None:
        self.binary = shutil.which(binary) or f"/usr/sbin/{binary}"
        # Not under pytest's tmp_path: that is mode 0700 and the mail processes run as "nobody".
        self.dir = Path(tempfile.mkdtemp(prefix="bouquet-dovecot-"))
        self.dir.chmod(0o755)
        self.port = free_port()
        self.config = self.dir / "dovecot.conf"
        self._process: subprocess.Popen | None = None
        self._write_config()

    def _write_config(self) -> None:
        root = os.geteuid() == 0
        me = pwd.getpwuid(os.geteuid())
        # As root: unprivileged nobody (uid 0 is refused by Dovecot). Otherwise: ourselves everywhere.
        mail_user, mail_group = ("nobody", "nogroup") if root else (me.pw_name, str(me.pw_gid))
        login_user = "dovenull" if root and _has_user("dovenull") else mail_user
        internal_user = "dovecot" if root and _has_user("dovecot") else mail_user
        home = self.dir / "home" / self.user
        home.mkdir(parents=True, exist_ok=True)
        if root:
            nobody = pwd.getpwnam("nobody")
            os.chown(home, nobody.pw_uid, nobody.pw_gid)
        (self.dir / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        self.config.write_text(
            _CONFIG.format(
                dir=self.dir,
                port=self.port,
                mail_user=mail_user,
                mail_group=mail_group,
                login_user=login_user,
                internal_user=internal_user,
            )  # fmt: skip
        )

    def start(self, timeout: float = 10) -> "Dovecot":
        self._process = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: kill() reaches every Dovecot child
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self._process.stderr.read().decode()}\n{self.log()}")
            try:
                with imaplib.IMAP4("127.0.0.1", self.port, timeout=2) as conn:
                    conn.login(self.user, self.password)
                return self
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"dovecot did not listen on {self.port}:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL the whole server: open connections drop, nothing is flushed or said goodbye."""
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(5)
        self._process = None

    def stop(self) -> None:
        """Stop and remove every file of this instance."""
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(self.user, self.password)
        return conn

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        with self.connect() as conn:
            conn.create(f'"{folder}"')  # NO when it exists: fine
            typ, data = conn.append(f'"{folder}"', None, None, raw)
            if typ != "OK":
                raise RuntimeError(f"APPEND failed: {data}")

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        """The raw mails of ``folder`` (read without flagging them)."""
        with self.connect() as conn:
            typ, _ = conn.select(f'"{folder}"', readonly=True)
            if typ != "OK":
                return []
            _, data = conn.uid("SEARCH", "ALL")
            result = []
            for uid in (data[0] or b"").split():
                _, fetched = conn.uid("FETCH", uid, "(BODY.PEEK[])")
                result.extend(item[1] for item in fetched if isinstance(item, tuple))
            return result

    def __enter__(self) -> "Dovecot":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
