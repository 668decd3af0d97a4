"""Shared fixtures of the PES tests: sample files and one throwaway signer per session."""

from pathlib import Path

import pytest

from .signing import TestSigner, make_signer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pes"
S2LOW = FIXTURES / "s2low/test/PHPUnit/helios/fixtures"
PASTELL = FIXTURES / "pastell"
SIGNED_PASTELL = (
    PASTELL
    / "test/PHPUnit/connecteur/glaneur-local/fixtures/pes_depot_vrac/PESALR2_49101169800000_171227_2045.xml"
)


@pytest.fixture(scope="session")
def signer() -> TestSigner:
    return make_signer()


@pytest.fixture
def pes_aller() -> bytes:
    return (S2LOW / "pes_aller.xml").read_bytes()
