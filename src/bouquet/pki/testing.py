"""Test helpers shared by every test package: one demo PKI per test session, and its trust setup."""

import tempfile
from pathlib import Path

from django.conf import settings

from bouquet.pki.demo_pki import DemoPki, generate_demo_pki

__all__ = ["demo_pki_for_tests", "install_demo_trust"]

_demo: DemoPki | None = None


def demo_pki_for_tests() -> DemoPki:
    """The demo PKI generated once per process in a temporary folder (no database access)."""
    global _demo
    if _demo is None:
        # Under the run's var/ (a temporary folder in tests), removed with it.
        var = Path(settings.VAR_DIR)
        var.mkdir(parents=True, exist_ok=True)
        _demo = generate_demo_pki(Path(tempfile.mkdtemp(prefix="test-pki-", dir=var)))
    return _demo


def install_demo_trust(demo: DemoPki | None = None) -> DemoPki:
    """Trust the demo root and intermediate and cache its CRL (needs the database)."""
    from bouquet.pki.services import add_trusted_ca
    from bouquet.pki.trust import clear_cache, load_crl

    demo = demo or demo_pki_for_tests()
    add_trusted_ca(data=demo.root_cert.read_bytes(), name="Racine Bouquet (démo)")
    add_trusted_ca(data=demo.intermediate_cert.read_bytes(), name="AC Agents RGS** (démo)")
    load_crl(demo.crl_der.read_bytes())
    clear_cache()
    return demo
