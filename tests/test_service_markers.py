"""REQUIRE_SERVICES=1 turns the skip of a test whose service is missing into a failure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS_TEST = "tests/clinic/test_platform.py::test_readyz_is_ok_with_a_live_redis"


def run_redis_test(require: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env.pop("REQUIRE_SERVICES", None)
    env["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    if require is not None:
        env["REQUIRE_SERVICES"] = require
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", REDIS_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("require", "returncode", "word"), [(None, 0, "skipped"), ("1", 1, "error")]
)
def test_a_missing_service_skips_unless_services_are_required(require, returncode, word):
    result = run_redis_test(require)
    assert result.returncode == returncode, result.stdout
    assert f"1 {word}" in result.stdout
