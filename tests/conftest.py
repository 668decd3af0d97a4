"""The rule that CI never skips for a missing tool (the isolated var/ is set by bouquet.pytest_plugin)."""

import os
import shutil

import pytest


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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite: a test database in a file (under the run's var/), so that subprocesses see it too.

    The end-to-end tests run workers in other processes (tests/e2e); an in-memory database would be
    invisible to them. PostgreSQL needs nothing: its test database has a name.
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        test = db.setdefault("TEST", {})
        if not test.get("NAME"):
            test["NAME"] = str(settings.VAR_DIR / "test-bouquet.sqlite3")
            # A throwaway file: no fsync per commit, so that it costs about what memory did.
            options = db.setdefault("OPTIONS", {})
            options["init_command"] = options.get("init_command", "") + "PRAGMA synchronous=OFF;"
