"""The search tests pass on both databases: on PostgreSQL (this run) and, in a subprocess, on
SQLite with its FTS5 tables, the ``make run`` default."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEARCH_TESTS = "tests/education/test_search.py"


@pytest.mark.requires_postgres
def test_the_search_tests_pass_on_sqlite_too():
    env = {**os.environ, "DATABASE_URL": "sqlite:///:memory:"}
    env.pop("REQUIRE_SERVICES", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", SEARCH_TESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    collected = len(re.findall(r"^def test_", (ROOT / SEARCH_TESTS).read_text(), re.MULTILINE))
    assert f"{collected} passed" in result.stdout


@pytest.mark.requires_postgres
@pytest.mark.django_db
def test_the_sqlite_search_migration_leaves_postgresql_alone():
    from django.db import connection

    tables = connection.introspection.table_names()
    assert "education_article_fts_en" not in tables
    assert "education_article_fts_es" not in tables
