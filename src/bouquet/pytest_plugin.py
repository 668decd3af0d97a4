"""Loaded by pytest before Django's settings (``-p bouquet.pytest_plugin`` in pyproject.toml).

Each test run gets its own var/ (files, PKI, mail, secret key) so that nothing leaks between
runs or into a developer's data. A conftest.py would come too late: pytest-django imports the
settings before the tests' conftest files.
"""

import os
import shutil
import tempfile

import pytest

_VAR = tempfile.mkdtemp(prefix="bouquet-test-var-")
os.environ["BOUQUET_VAR_DIR"] = _VAR
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# A proxy secret set in the developer's shell must not leak into the tests.
os.environ.pop("TRUSTED_PROXY_SECRET", None)
# Test authorities are built without conventions with the prefecture; the tests of that rule
# (tests/backoffice/test_gates.py, tests/actes/services/test_convention_gate.py) turn it on.
os.environ.setdefault("BACKOFFICE_ACTES_CONVENTION_REQUIRED", "0")


@pytest.fixture(scope="session", autouse=True)
def _bouquet_clean_var():
    yield
    shutil.rmtree(_VAR, ignore_errors=True)
