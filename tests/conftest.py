"""Test-wide settings: an isolated var/ per run, and the rule that CI never skips for a missing tool."""

import os
import shutil
import tempfile

import pytest

# Each test run gets its own var/ (files, PKI, mail) so nothing leaks between runs or into a dev's data.
_VAR = tempfile.mkdtemp(prefix="bouquet-test-var-")
os.environ.setdefault("BOUQUET_VAR_DIR", _VAR)
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")


def require_tool(name: str) -> str:
    """Path of a system tool; skip without it, except in CI (BOUQUET_REQUIRE_TOOLS=1) where it fails."""
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.path.exists(p)), None
    )
    if path:
        return path
    if os.environ.get("BOUQUET_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{name} is required in CI but is not installed")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="session", autouse=True)
def _clean_var():
    yield
    shutil.rmtree(_VAR, ignore_errors=True)
