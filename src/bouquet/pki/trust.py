"""Trust material for validation (trust store, CRLs, RGS table), cached per process.

The cache is keyed on a cheap fingerprint of the tables (row count and latest change), so an edit
by the operator is seen on the next validation without rebuilding everything on every login.
Edit the tables through ``save()`` (or call ``clear_cache``): ``QuerySet.update`` leaves the
``updated_at`` columns alone, so only a change of row count would be noticed.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from bouquet.pki.errors import CrlError
from bouquet.pki.models import CrlCache, CrlSource, RgsPolicy, TrustedCA

__all__ = ["TrustMaterial", "clear_cache", "load_crl", "sync_crl_dir", "trust_material"]

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[str, object] = {}


@dataclass(frozen=True)
class TrustMaterial:
    """DER trust anchors (self-signed CAs), intermediates, CRLs and the OID → RGS level table."""

    roots: tuple[bytes, ...]
    intermediates: tuple[bytes, ...]
    crls: tuple[bytes, ...]
    rgs_table: dict[str, str]


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def trust_material() -> TrustMaterial:
    """The current trust material, rebuilt only when one of the three tables changed."""
    key = _tables_key()
    if sync_crl_dir(tables_key=key):
        key = _tables_key()
    with _lock:
        if _cache.get("key") == key:
            return _cache["material"]  # type: ignore[return-value]
    material = _build()
    with _lock:
        _cache.update(key=key, material=material)
    return material


def _tables_key() -> tuple:
    parts = []
    for model, field in ((TrustedCA, "updated_at"), (CrlCache, "fetched_at"), (RgsPolicy, "updated_at")):
        agg = model.objects.aggregate(n=Count("id"), last=Max(field), top=Max("id"))
        parts.append((agg["n"], agg["last"], agg["top"]))
    return tuple(parts)


def _build() -> TrustMaterial:
    roots, intermediates = [], []
    for ca in TrustedCA.objects.filter(is_active=True):
        der = bytes(ca.der)
        cert = x509.load_der_x509_certificate(der)
        (roots if cert.subject == cert.issuer else intermediates).append(der)
    crls = tuple(bytes(der) for der in CrlCache.objects.values_list("der", flat=True))
    table = dict(RgsPolicy.objects.values_list("oid", "level"))
    return TrustMaterial(tuple(roots), tuple(intermediates), crls, table)


def _read_crl(data: bytes) -> x509.CertificateRevocationList:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError as exc:
        raise CrlError("Liste de révocation illisible.") from exc


def _issuing_ca(crl: x509.CertificateRevocationList) -> TrustedCA:
    for ca in TrustedCA.objects.filter(is_active=True):
        cert = x509.load_der_x509_certificate(bytes(ca.der))
        if cert.subject == crl.issuer and crl.is_signature_valid(cert.public_key()):
            return ca
    raise CrlError(
        f"Liste de révocation émise par « {crl.issuer.rfc4514_string()} », "
        "autorité absente du magasin de confiance (ou signature invalide)."
    )


@transaction.atomic
def load_crl(data: bytes, *, source: str = CrlSource.FILE) -> CrlCache:
    """Store a CRL (PEM or DER) for its trusted issuer, unless a newer one is already cached.

    :raises CrlError: unreadable, or not signed by an active trusted CA.
    """
    crl = _read_crl(data)
    ca = _issuing_ca(crl)
    current = CrlCache.objects.select_for_update().filter(issuer_fingerprint=ca.fingerprint_sha256).first()
    this_update = crl.last_update_utc.astimezone(UTC)
    if current is not None and current.this_update > this_update:
        return current
    entry, _ = CrlCache.objects.update_or_create(
        issuer_fingerprint=ca.fingerprint_sha256,
        defaults={
            "issuer_name": crl.issuer.rfc4514_string(),
            "der": crl.public_bytes(Encoding.DER),
            "this_update": this_update,
            "next_update": crl.next_update_utc,
            "revoked_count": len(crl),
            "source": source,
        },
    )
    return entry


def sync_crl_dir(directory: Path | None = None, *, tables_key: tuple | None = None) -> int:
    """Load CRL files dropped in ``settings.PKI_CRL_DIR`` (offline mode) when the folder changed.

    :return: the number of files loaded in this call.
    """
    folder = Path(directory or settings.PKI_CRL_DIR)
    if not folder.is_dir():
        return 0
    suffixes = {".crl", ".der", ".pem"}
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
    listing = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    # The tables are part of the stamp: a CA added later, or a CRL row removed, triggers a reload.
    current = (listing, tables_key or _tables_key())
    with _lock:
        if _cache.get(("crl_dir", str(folder))) == current:
            return 0
    loaded = 0
    for path in files:
        try:
            load_crl(path.read_bytes(), source=CrlSource.FILE)
            loaded += 1
        except CrlError as exc:
            logger.warning("CRL file %s ignored: %s", path, exc)
    stamp = (listing, _tables_key())
    with _lock:
        _cache[("crl_dir", str(folder))] = stamp
    return loaded
