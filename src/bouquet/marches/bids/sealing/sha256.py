"""A SHA-256 that can be paused between two HTTP requests and resumed in another process.

A file arrives in pieces, over several requests served by any worker; its acknowledgement must
give the ordinary SHA-256 of the whole file, yet the plaintext is encrypted on arrival and no
worker can read it back. Python's ``hashlib`` cannot export its state, so this module drives
OpenSSL's ``SHA256_Init/Update/Final`` through ``ctypes`` and keeps the state as bytes, with a
pure-Python implementation of the same compression function as fallback.

The saved state is only the eight chaining words and the bit count, taken on a 64-byte block
boundary (every piece but the last is a multiple of 64 bytes): it holds no plaintext byte.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import struct

__all__ = ["STATE_SIZE", "ResumableSha256"]

#: Saved state: eight 32-bit chaining words and the 64-bit length in bits, big-endian.
STATE_SIZE = 40
_IV = (
    0x6A09E667,
    0xBB67AE85,
    0x3C6EF372,
    0xA54FF53A,
    0x510E527F,
    0x9B05688C,
    0x1F83D9AB,
    0x5BE0CD19,
)
_K = (
    0x428A2F98,
    0x71374491,
    0xB5C0FBCF,
    0xE9B5DBA5,
    0x3956C25B,
    0x59F111F1,
    0x923F82A4,
    0xAB1C5ED5,
    0xD807AA98,
    0x12835B01,
    0x243185BE,
    0x550C7DC3,
    0x72BE5D74,
    0x80DEB1FE,
    0x9BDC06A7,
    0xC19BF174,
    0xE49B69C1,
    0xEFBE4786,
    0x0FC19DC6,
    0x240CA1CC,
    0x2DE92C6F,
    0x4A7484AA,
    0x5CB0A9DC,
    0x76F988DA,
    0x983E5152,
    0xA831C66D,
    0xB00327C8,
    0xBF597FC7,
    0xC6E00BF3,
    0xD5A79147,
    0x06CA6351,
    0x14292967,
    0x27B70A85,
    0x2E1B2138,
    0x4D2C6DFC,
    0x53380D13,
    0x650A7354,
    0x766A0ABB,
    0x81C2C92E,
    0x92722C85,
    0xA2BFE8A1,
    0xA81A664B,
    0xC24B8B70,
    0xC76C51A3,
    0xD192E819,
    0xD6990624,
    0xF40E3585,
    0x106AA070,
    0x19A4C116,
    0x1E376C08,
    0x2748774C,
    0x34B0BCB5,
    0x391C0CB3,
    0x4ED8AA4A,
    0x5B9CCA4F,
    0x682E6FF3,
    0x748F82EE,
    0x78A5636F,
    0x84C87814,
    0x8CC70208,
    0x90BEFFFA,
    0xA4506CEB,
    0xBEF9A3F7,
    0xC67178F2,
)
_M = 0xFFFFFFFF


def _rotr(x: int, n: int) -> int:
    return ((x >> n) | (x << (32 - n))) & _M


def _compress(h: list[int], block: bytes) -> None:
    w = list(struct.unpack(">16I", block))
    for i in range(16, 64):
        s0 = _rotr(w[i - 15], 7) ^ _rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
        s1 = _rotr(w[i - 2], 17) ^ _rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
        w.append((w[i - 16] + s0 + w[i - 7] + s1) & _M)
    a, b, c, d, e, f, g, hh = h
    for i in range(64):
        t1 = (hh + (_rotr(e, 6) ^ _rotr(e, 11) ^ _rotr(e, 25)) + ((e & f) ^ (~e & g)) + _K[i] + w[i]) & _M
        t2 = ((_rotr(a, 2) ^ _rotr(a, 13) ^ _rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) & _M
        a, b, c, d, e, f, g, hh = (t1 + t2) & _M, a, b, c, (d + t1) & _M, e, f, g
    for i, value in enumerate((a, b, c, d, e, f, g, hh)):
        h[i] = (h[i] + value) & _M


class _PurePython:
    """Reference implementation (slow: a fallback where libcrypto is not usable)."""

    def __init__(self, words: tuple[int, ...], bits: int) -> None:
        self.h, self.bits, self.buffer = list(words), bits, b""

    def update(self, data: bytes) -> None:
        self.bits += 8 * len(data)
        data = self.buffer + data
        cut = len(data) - len(data) % 64
        for start in range(0, cut, 64):
            _compress(self.h, data[start : start + 64])
        self.buffer = data[cut:]

    def state(self) -> tuple[tuple[int, ...], int, int]:
        return tuple(self.h), self.bits, len(self.buffer)

    def digest(self) -> bytes:
        length = struct.pack(">Q", self.bits)
        tail = self.buffer + b"\x80" + b"\x00" * ((55 - len(self.buffer)) % 64) + length
        h = list(self.h)
        for start in range(0, len(tail), 64):
            _compress(h, tail[start : start + 64])
        return struct.pack(">8I", *h)


class _OpenSSLContext(ctypes.Structure):
    """``SHA256_CTX`` of OpenSSL's ``<openssl/sha.h>`` (a public, stable structure)."""

    _fields_ = [
        ("h", ctypes.c_uint32 * 8),
        ("Nl", ctypes.c_uint32),
        ("Nh", ctypes.c_uint32),
        ("data", ctypes.c_uint32 * 16),
        ("num", ctypes.c_uint32),
        ("md_len", ctypes.c_uint32),
    ]


def _load_libcrypto():
    name = ctypes.util.find_library("crypto")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
        lib.SHA256_Update.argtypes = [ctypes.POINTER(_OpenSSLContext), ctypes.c_char_p, ctypes.c_size_t]
        lib.SHA256_Final.argtypes = [ctypes.c_char_p, ctypes.POINTER(_OpenSSLContext)]
    except (OSError, AttributeError):
        return None
    return lib if _self_test(lib) else None


class _OpenSSL:
    def __init__(self, lib, words: tuple[int, ...], bits: int) -> None:
        self.lib, self.ctx = lib, _OpenSSLContext()
        self.ctx.h[:] = words
        self.ctx.Nl, self.ctx.Nh = bits & _M, bits >> 32
        self.ctx.num, self.ctx.md_len = 0, 32

    def update(self, data: bytes) -> None:
        self.lib.SHA256_Update(ctypes.byref(self.ctx), data, len(data))

    def state(self) -> tuple[tuple[int, ...], int, int]:
        return tuple(self.ctx.h), (self.ctx.Nh << 32) | self.ctx.Nl, self.ctx.num

    def digest(self) -> bytes:
        out = ctypes.create_string_buffer(32)
        copy = _OpenSSLContext.from_buffer_copy(self.ctx)
        self.lib.SHA256_Final(out, ctypes.byref(copy))
        return out.raw


def _self_test(lib) -> bool:
    """The structure layout matches this libcrypto (else the pure-Python fallback is used)."""
    sample = bytes(range(256)) * 3
    try:
        first = _OpenSSL(lib, _IV, 0)
        first.update(sample[:128])
        words, bits, pending = first.state()
        second = _OpenSSL(lib, words, bits)
        second.update(sample[128:])
        return pending == 0 and second.digest() == hashlib.sha256(sample).digest()
    except Exception:  # noqa: BLE001 - any failure means "do not use it"
        return False


_LIB = _load_libcrypto()


class ResumableSha256:
    """SHA-256 whose state can be saved with :meth:`save` on a 64-byte boundary and resumed.

    :param state: bytes from :meth:`save` (``b""`` or ``None`` to start).
    :param pure_python: force the fallback (tests compare both).
    """

    def __init__(self, state: bytes | None = None, *, pure_python: bool = False) -> None:
        if state:
            if len(state) != STATE_SIZE:
                raise ValueError("invalid SHA-256 state")
            *words, bits = struct.unpack(">8IQ", state)
            words = tuple(words)
        else:
            words, bits = _IV, 0
        self._impl = _PurePython(words, bits) if pure_python or _LIB is None else _OpenSSL(_LIB, words, bits)

    @property
    def uses_openssl(self) -> bool:
        return isinstance(self._impl, _OpenSSL)

    def update(self, data: bytes) -> None:
        self._impl.update(data)

    @property
    def length(self) -> int:
        """Bytes hashed so far."""
        return self._impl.state()[1] // 8

    def save(self) -> bytes:
        """The state as :data:`STATE_SIZE` bytes; :raises ValueError: not on a 64-byte boundary."""
        words, bits, pending = self._impl.state()
        if pending:
            raise ValueError("SHA-256 state can only be saved on a 64-byte boundary")
        return struct.pack(">8IQ", *words, bits)

    def hexdigest(self) -> str:
        return self._impl.digest().hex()
