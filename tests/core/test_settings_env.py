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
