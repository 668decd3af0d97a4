"""Fixtures of the HELIOS end-to-end tests: the DGFiP simulator process and the platform's side."""

import shutil
import tempfile
from pathlib import Path

import pytest

from .support import Dgfip, Platform


@pytest.fixture
def work():
    path = Path(tempfile.mkdtemp(prefix="bouquet-e2e-helios-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def dgfip(work):
    simulator = Dgfip(work).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def platform(db, dgfip) -> Platform:
    return Platform.build(dgfip)
