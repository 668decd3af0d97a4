"""RFC 6238 time-based one-time passwords (30 s steps, 6 digits, HMAC-SHA1), as authenticator apps use."""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote

__all__ = ["new_secret", "code_at", "verify", "provisioning_uri"]

STEP = 30
DIGITS = 6


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def code_at(secret: str, when: float) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int(when // STEP))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def verify(secret: str, code: str, when: float | None = None, window: int = 1) -> bool:
    """Accept the current code and ``window`` steps either side (clock drift)."""
    now = time.time() if when is None else when
    code = (code or "").strip().replace(" ", "")
    return any(hmac.compare_digest(code_at(secret, now + i * STEP), code) for i in range(-window, window + 1))


def provisioning_uri(secret: str, account: str, issuer: str = "Bouquet") -> str:
    return f"otpauth://totp/{quote(issuer)}:{quote(account)}?secret={secret}&issuer={quote(issuer)}"
