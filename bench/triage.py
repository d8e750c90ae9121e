"""Triage benchmark: engine time per assessment and API submit latency.

    .venv/bin/python bench/triage.py                       # engine only + API on SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_bench .venv/bin/python bench/triage.py

1. Engine: validate + evaluate each of the 15 vignette answer sets many times (pure functions,
   no database); prints microseconds per assessment. Target: under 500 us (0.5 ms).
2. API: POST /api/v1/triage/assessments/ through Django's test client (the whole request
   stack: middleware, DRF, validation, evaluation, one INSERT in a transaction) against a
   throw-away test database created from DATABASE_URL (``test_<name>``, migrated, dropped at
   the end). Prints p50/p95/max over the requests, anonymous and logged in. Throttling off.
"""

import os
import statistics
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import configure  # noqa: E402

configure()

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tests.triage.vignettes import VIGNETTES  # noqa: E402
from triage.definitions import (  # noqa: E402
    definition_files,
    is_ruleset_file,
    parse_questionnaire,
    parse_ruleset,
)
from triage.rules import evaluate, validate_answers  # noqa: E402

ENGINE_ROUNDS = 2000
API_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))


def bench_engine() -> None:
    files = [data for _path, data in definition_files()]
    questionnaire = parse_questionnaire(next(d for d in files if not is_ruleset_file(d)))
    ruleset = parse_ruleset(next(d for d in files if is_ruleset_file(d)), questionnaire)
    answer_sets = [v[2] for v in VIGNETTES]

    def evaluate_all():
        for given in answer_sets:
            evaluate(ruleset, given)

    def validate_and_evaluate_all():
        for given in answer_sets:
            validate_answers(questionnaire, given)
            evaluate(ruleset, given)

    count = ENGINE_ROUNDS * len(answer_sets)
    for label, run in (
        ("evaluate", evaluate_all),
        ("validate + evaluate", validate_and_evaluate_all),
    ):
        best = min(timeit.repeat(run, number=ENGINE_ROUNDS, repeat=5))
        print(f"engine {label:<22} {best / count * 1e6:8.1f} us per assessment ({count} runs)")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_api() -> None:
    from django.test import Client

    from tests.factories import PatientFactory

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        anonymous, logged_in = Client(), Client()
        logged_in.force_login(PatientFactory())
        bodies = [{"questionnaire": "lumbar-radiculopathy", "answers": v[2]} for v in VIGNETTES]
        for label, client in (("anonymous", anonymous), ("logged in", logged_in)):
            for body in bodies:  # warm up: connections, caches, parsed definitions
                client.post("/api/v1/triage/assessments/", body, content_type="application/json")
            timings = []
            for i in range(API_REQUESTS):
                start = time.perf_counter()
                response = client.post(
                    "/api/v1/triage/assessments/",
                    bodies[i % len(bodies)],
                    content_type="application/json",
                )
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 201, response.content
            print(
                f"api submit ({engine}, {label:<9}) p50 {percentile(timings, 0.5):6.2f} ms  "
                f"p95 {percentile(timings, 0.95):6.2f} ms  max {max(timings):6.2f} ms  "
                f"mean {statistics.fmean(timings):6.2f} ms ({API_REQUESTS} requests)"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    bench_engine()
    bench_api()
