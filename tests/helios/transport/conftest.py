"""Shared samples: S²LOW's PES fixtures and the routing metadata of ``pes_aller.xml``."""

from pathlib import Path

import pytest

from bouquet.helios.transport import PesMetadata

S2LOW = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "pes"
    / "s2low"
    / "test"
    / "PHPUnit"
    / "helios"
    / "fixtures"
)


@pytest.fixture
def pes_bytes() -> bytes:
    return (S2LOW / "pes_aller.xml").read_bytes()


@pytest.fixture
def meta() -> PesMetadata:
    return PesMetadata(p_dest="VHPCE11", cod_col="400", id_post="034000", cod_bud="01")
