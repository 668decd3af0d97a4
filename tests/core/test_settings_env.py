from pathlib import Path

import pytest

from bouquet.config.env import database_from_url


def test_it_reads_relative_and_absolute_sqlite_urls():
    base = Path("/srv/bouquet")
    assert database_from_url("sqlite:///var/db.sqlite3", base)["NAME"] == "/srv/bouquet/var/db.sqlite3"
    assert database_from_url("sqlite:////data/db.sqlite3", base)["NAME"] == "/data/db.sqlite3"


def test_it_reads_postgres_urls_with_escaped_password_and_options():
    db = database_from_url("postgres://bq:p%40ss@db.internal:5433/bouquet?sslmode=require", Path("/"))
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "bouquet",
        "bq",
        "p@ss",
        "db.internal",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_it_rejects_unknown_schemes():
    with pytest.raises(ValueError, match="mysql"):
        database_from_url("mysql://x/y", Path("/"))


def _settings_in_subprocess(env: dict, expression: str) -> str:
    import os
    import subprocess
    import sys

    code = (
        f"import django; django.setup(); from django.conf import settings as s; print(repr(({expression})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bouquet.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_production_mode_turns_on_secure_cookies_and_hsts():
    expr = "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_HTTPONLY"
    assert _settings_in_subprocess({"BOUQUET_SECURE": "1"}, expr) == "(True, True, 31536000, True)"
    assert _settings_in_subprocess({"BOUQUET_SECURE": "0"}, expr) == "(False, False, 0, True)"


def test_the_embedded_default_keeps_everything_under_the_var_dir(tmp_path):
    expr = "s.DATABASES['default']['NAME'], s.MEDIA_ROOT, s.STATIC_ROOT"
    out = _settings_in_subprocess({"BOUQUET_VAR_DIR": str(tmp_path), "DATABASE_URL": ""}, expr)
    assert out == repr((str(tmp_path / "bouquet.sqlite3"), tmp_path / "files", tmp_path / "static"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_web_process_keeps_its_database_connection_from_one_request_to_the_next():
    """As gunicorn serves them (the WSGI handler, whose signals close obsolete connections): one
    connection per process instead of one per request, which PostgreSQL pays with a new server
    process each time."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import RequestFactory

    handler = WSGIHandler()
    connection.ensure_connection()
    first = connection.connection
    for _ in range(2):
        response = handler(RequestFactory().get("/connexion/").environ, lambda status, headers: None)
        assert response.status_code == 200
        response.close()
    assert connection.connection is first


def test_the_connection_lifetime_can_be_set_and_is_checked_before_reuse():
    expr = "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']"
    assert _settings_in_subprocess({}, expr) == "(60, True)"
    assert _settings_in_subprocess({"DATABASE_CONN_MAX_AGE": "0"}, expr) == "(0, True)"
