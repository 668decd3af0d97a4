"""Attach the TLS client certificate forwarded by the trusted proxy (nginx) to the request.

Only requests coming from an address in ``settings.TRUSTED_PROXIES`` may carry the certificate
header; from anywhere else it is deleted. This middleware logs nobody in: see
``bouquet.pki.client_auth`` for the S²LOW authentication rule.
"""

import base64
import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings

from bouquet.pki.models import Certificate
from bouquet.pki.validation import ValidationResult, validate_certificate

__all__ = ["ClientCertificate", "ClientCertificateMiddleware", "clear_validation_cache", "validate_cached"]

VERIFY_HEADER = "HTTP_X_SSL_CLIENT_VERIFY"
SECRET_HEADER = "HTTP_X_BOUQUET_PROXY_SECRET"
CACHE_SECONDS = 60.0
_CACHE_MAX = 2000

_cache: dict[tuple[str, str], tuple[float, ValidationResult]] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class ClientCertificate:
    """The certificate presented over TLS.

    :ivar der: the certificate, DER-encoded (or the undecodable bytes received).
    :ivar fingerprint: SHA-256 of ``der``, lowercase hex.
    :ivar validation: the ``ValidationResult`` without RGS requirement.
    :ivar certificate: the registry row (``pki.Certificate``), or None when unknown.
    """

    der: bytes
    fingerprint: str
    validation: ValidationResult
    certificate: Certificate | None = None

    @property
    def ok(self) -> bool:
        return bool(self.validation.ok)


def clear_validation_cache() -> None:
    """Forget cached validation results (after a CRL or trust-store change, and between tests)."""
    with _cache_lock:
        _cache.clear()


def validate_cached(der: bytes, fingerprint: str, required_rgs: str = "") -> ValidationResult:
    """``validate_certificate`` with its result kept for ``CACHE_SECONDS`` per fingerprint and level."""
    key, now = (fingerprint, required_rgs), time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit and hit[0] > now:
        return hit[1]
    result = validate_certificate(der, required_rgs=required_rgs)
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[key] = (now + CACHE_SECONDS, result)
    return result


def decode_header(value: str) -> bytes:
    """DER bytes from nginx's URL-encoded PEM, or Caddy's RFC 9440 ``:base64:`` form."""
    value = value.strip()
    if value.startswith(":") and value.endswith(":"):
        try:
            return base64.b64decode(value.strip(":"), validate=True)
        except ValueError:
            return value.encode("ascii", errors="replace")
    pem = unquote(value).encode("ascii", errors="replace")
    try:
        return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    except ValueError:
        return pem  # validation reports it as malformed


def from_trusted_proxy(request) -> bool:
    """From a trusted address and, when a proxy secret is configured, carrying it."""
    presented = request.META.pop(SECRET_HEADER, "")
    if request.META.get("REMOTE_ADDR") not in settings.TRUSTED_PROXIES:
        return False
    secret = settings.TRUSTED_PROXY_SECRET
    return not secret or hmac.compare_digest(presented.encode(), secret.encode())


class ClientCertificateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Decided once: what the proxy says (certificate, forwarded address) counts only if true.
        request.from_trusted_proxy = from_trusted_proxy(request)
        if not request.from_trusted_proxy:
            request.META.pop("HTTP_X_FORWARDED_FOR", None)
        request.client_certificate = self.client_certificate(request)
        return self.get_response(request)

    @staticmethod
    def client_certificate(request) -> ClientCertificate | None:
        header = settings.CLIENT_CERT_HEADER
        if not request.from_trusted_proxy:
            request.META.pop(header, None)
            request.META.pop(VERIFY_HEADER, None)
            return None
        raw = request.META.get(header, "")
        if not raw or raw.strip() in {"", "::", "(null)"}:
            return None
        der = decode_header(raw)
        if not der:
            return None
        fingerprint = hashlib.sha256(der).hexdigest()
        row = Certificate.objects.filter(fingerprint_sha256=fingerprint).first()
        return ClientCertificate(der, fingerprint, validate_cached(der, fingerprint), row)
