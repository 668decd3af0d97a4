"""Render nginx.conf.template (beside this module) and run nginx in the foreground (run, tests)."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from string import Template

__all__ = ["NGINX_TEMPLATE", "NginxError", "NginxProcess", "find_nginx", "render_nginx_conf"]

NGINX_TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


class NginxError(RuntimeError):
    """nginx is missing, rejected its configuration, or did not start listening."""


class _ConfTemplate(Template):
    # nginx variables use "$", so placeholders use "@@{name}" instead.
    delimiter = "@@"


def find_nginx() -> str | None:
    """Path of the nginx binary (Debian installs it in /usr/sbin, often off a user's PATH)."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def render_nginx_conf(
    *,
    runtime_dir: Path,
    server_cert: Path,
    server_key: Path,
    ca_hints: Path,
    static_root: Path,
    listen: str = "127.0.0.1:8443",
    upstream: str = "127.0.0.1:8000",
    proxy_secret: str = "",
) -> str:
    """The nginx configuration text; every path nginx writes to is under ``runtime_dir``."""
    # Started as root, nginx would run its workers as "nobody", which cannot enter a private
    # runtime directory; keep them as the invoking user. Without root, "user" is ignored.
    user_line = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    values = {
        "user_line": user_line,
        "runtime_dir": Path(runtime_dir).resolve(),
        "server_cert": Path(server_cert).resolve(),
        "server_key": Path(server_key).resolve(),
        "ca_hints": Path(ca_hints).resolve(),
        "static_root": Path(static_root).resolve(),
        "listen": listen,
        "upstream": upstream,
        "proxy_secret": proxy_secret,
    }
    return _ConfTemplate(NGINX_TEMPLATE.read_text()).substitute({k: str(v) for k, v in values.items()})


def _split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


class NginxProcess:
    """One nginx master in the foreground, its configuration and logs in ``runtime_dir``."""

    def __init__(self, conf_text: str, runtime_dir: Path, listen: str, nginx: str | None = None):
        self.runtime_dir = Path(runtime_dir).resolve()
        self.conf_path = self.runtime_dir / "nginx.conf"
        self.listen = listen
        self.nginx = nginx or find_nginx()
        self.conf_text = conf_text
        self.process: subprocess.Popen | None = None
        if not self.nginx:
            raise NginxError("nginx est introuvable (paquet Debian nginx-light ou nginx).")

    @property
    def argv(self) -> list[str]:
        return [self.nginx, "-c", str(self.conf_path), "-p", str(self.runtime_dir), "-g", "daemon off;"]

    @property
    def error_log(self) -> str:
        path = self.runtime_dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def prepare(self) -> None:
        """Write the configuration, create the temp directories and check the syntax (nginx -t)."""
        (self.runtime_dir / "tmp").mkdir(parents=True, exist_ok=True)
        self.conf_path.write_text(self.conf_text)
        check = subprocess.run([*self.argv, "-t", "-q"], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise NginxError(f"configuration nginx refusée : {check.stderr.strip()}")

    def start(self, timeout: float = 10.0) -> "NginxProcess":
        self.prepare()
        self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 10.0) -> None:
        """Return once the TLS port accepts connections; raise if nginx exits or times out."""
        host, port = _split_address(self.listen)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise NginxError(f"nginx s'est arrêté (code {self.process.returncode}) : {self.error_log}")
            try:
                with socket.create_connection((host, port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise NginxError(f"nginx n'écoute pas sur {self.listen} après {timeout} s : {self.error_log}")

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "NginxProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
