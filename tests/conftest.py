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


# Debian's Chromium, as root and offline: no sandbox, no background network (refused here anyway).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser():
    """Playwright driving Debian's Chromium (Playwright's own browser download is not possible here)."""
    executable = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, **context_options):
    """A French 1280×900 page that records Content-Security-Policy violations in ``page.csp_errors``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", **context_options)
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text))
    return context, page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Close the database connections a browser test's own body opened.

    The body's ORM calls get a connection that the fixtures' teardown does not see (Django keeps one
    per context, and Playwright's synchronous API runs on greenlets): left open, it made PostgreSQL
    refuse to drop the test database at the end of the run ("being accessed by other users").
    """
    try:
        return (yield)
    finally:
        if item.get_closest_marker("browser"):
            from django.db import connections

            connections.close_all()


def pytest_collection_modifyitems(config, items):
    """Every transactional test must use serialized rollback.

    A plain flush after a transactional test lets Django re-create the content types; the next
    serialized-rollback test (live server, end to end) would then insert them a second time and
    fail, depending only on the order the tests ran in.
    """
    offenders = []
    for item in items:
        marks = list(item.iter_markers("django_db"))
        transactional = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        transactional = transactional or any(m.kwargs.get("transaction") for m in marks)
        if transactional and not any(m.kwargs.get("serialized_rollback") for m in marks):
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "mark these tests django_db(transaction=True, serialized_rollback=True): " + ", ".join(offenders)
        )
