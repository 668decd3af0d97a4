"""The demo PKI, generated once per test session, and a fixture that trusts it."""

import pytest

from bouquet.pki.testing import demo_pki_for_tests, install_demo_trust


@pytest.fixture(scope="session")
def demo_pki():
    return demo_pki_for_tests()


@pytest.fixture
def trusted_pki(db, demo_pki):
    """The demo root and intermediate in the trust store, and the intermediate's CRL cached."""
    return install_demo_trust(demo_pki)
