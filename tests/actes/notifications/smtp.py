"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

import email
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    to: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def body(self, kind: str = "plain") -> str:
        return self.message.get_body(preferencelist=(kind,)).get_content()


class _Sink:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.sessions = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 - aiosmtpd's hook
        with self.lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content, policy=default)
        with self.lock:
            self.received.append(Received(tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """Start with :meth:`start`, read :attr:`received`, stop with :meth:`stop`."""

    def __init__(self) -> None:
        self.sink = _Sink()
        self.port = _free_port()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        with self.sink.lock:
            return list(self.sink.received)

    @property
    def sessions(self) -> int:
        """SMTP sessions opened (EHLO) since the last :meth:`clear`."""
        with self.sink.lock:
            return self.sink.sessions

    def clear(self) -> None:
        with self.sink.lock:
            self.sink.received.clear()
            self.sink.sessions = 0

    def mailers(self) -> dict:
        """The MAILERS setting that sends to this server."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 10},
            }
        }
