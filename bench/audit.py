"""PHI access log benchmark: what one logged access costs, how the chain behaves under concurrent
writers, and how fast ``verify_audit_log`` walks it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_bench .venv/bin/python bench/audit.py

Against a throw-away test database created from DATABASE_URL (``test_<name>``, migrated, dropped
at the end; SQLite without it).

1. One append (lock the chain head, INSERT, move the head, COMMIT) in its own transaction, as a
   read is logged: p50/p95/mean over BENCH_APPENDS calls.
2. The same appends from BENCH_PROCESSES processes at once (like gunicorn workers): rows per
   second and per-call latency while they queue on the head; the chain verifies afterwards.
3. A patient's API read (GET /api/v1/triage/assessments/<id>/) through the whole stack, with the
   access logged and with logging switched off: the difference is the overhead per request.
4. ``verify_audit_log``'s walk over every row written: rows per second.
"""

import multiprocessing
import os
import statistics
import sys
import time
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
from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from audit.context import AccessContext  # noqa: E402
from audit.models import Action, PhiAccess  # noqa: E402
from audit.selectors import phi_access_chain_verify  # noqa: E402
from audit.services import phi_access_record  # noqa: E402
from triage.models import Assessment  # noqa: E402

APPENDS = int(os.environ.get("BENCH_APPENDS", "2000"))
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "8"))
PER_PROCESS = int(os.environ.get("BENCH_PER_PROCESS", "250"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(timings: list[float]) -> str:
    return (
        f"p50 {percentile(timings, 0.5):6.2f} ms  p95 {percentile(timings, 0.95):6.2f} ms  "
        f"max {max(timings):7.2f} ms  mean {statistics.fmean(timings):6.2f} ms"
    )


def append(n: int, actor_id: int | None = None) -> float:
    access = AccessContext(actor_id=actor_id, channel="api", ip="192.0.2.1", request_id=f"r{n}")
    start = time.perf_counter()
    phi_access_record(
        access=access, action=Action.VIEW, model=Assessment, object_id=n, patient_id=actor_id
    )
    return (time.perf_counter() - start) * 1000


def plain_insert(n: int) -> float:
    """The yardstick: any one-row INSERT in its own transaction on this machine."""
    from django.contrib.auth.models import Group

    start = time.perf_counter()
    with transaction.atomic():
        Group.objects.create(name=f"bench-{n}")
    return (time.perf_counter() - start) * 1000


def bench_sequential(engine: str) -> None:
    for n in range(50):  # warm up
        append(n)
        plain_insert(-n - 1)
    timings = [append(n) for n in range(APPENDS)]
    baseline = [plain_insert(n) for n in range(APPENDS)]
    print(f"one plain INSERT, own transaction ({engine})    {summary(baseline)}")
    print(f"one append, own transaction ({engine})          {summary(timings)} ({APPENDS} calls)")


def _writer(worker: int, start_at: float, results) -> None:
    """One web worker process: its own connection, appending as fast as it can."""
    connections.close_all()  # never share the parent's socket
    while time.time() < start_at:
        time.sleep(0.001)
    results.put([append(worker * 100000 + n) for n in range(PER_PROCESS)])
    connections.close_all()


def bench_concurrent(engine: str) -> None:
    if engine == "sqlite3":
        print("concurrent appends: skipped on SQLite (one writer at a time by design)")
        return
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 1
    workers = [
        context.Process(target=_writer, args=(w, start_at, results)) for w in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    timings = [t for _ in workers for t in results.get()]
    elapsed = time.time() - start_at
    for worker in workers:
        worker.join()
    total = PROCESSES * PER_PROCESS
    print(
        f"{PROCESSES} writer processes at once ({engine})       {summary(timings)}; "
        f"{total / elapsed:6.0f} rows/s ({total} rows in {elapsed:.2f} s)"
    )


def bench_request(engine: str) -> None:
    from django.test import Client

    from tests.factories import PatientFactory
    from tests.triage.vignettes import BENIGN
    from triage import selectors
    from triage.loading import publish_files
    from triage.models import Questionnaire, Ruleset
    from triage.services import assessment_submit

    publish_files(Questionnaire, Ruleset)
    patient = PatientFactory()
    assessment = assessment_submit(
        questionnaire_slug="lumbar-radiculopathy", answers=BENIGN, patient=patient
    )
    client = Client()
    client.force_login(patient)
    url = f"/api/v1/triage/assessments/{assessment.pk}/"

    def run(count: int) -> list[float]:
        timings = []
        for _ in range(count):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        return timings

    real = selectors.phi_access_record
    run(50)  # warm up
    logged, unlogged = [], []
    for _ in range(10):  # interleaved, so a busy moment of the machine hits both alike
        logged += run(REQUESTS // 10)
        selectors.phi_access_record = lambda **kwargs: None
        try:
            unlogged += run(REQUESTS // 10)
        finally:
            selectors.phi_access_record = real
    overhead = statistics.median(logged) - statistics.median(unlogged)
    print(f"api read, access logged ({engine})             {summary(logged)}")
    print(f"api read, logging off ({engine})               {summary(unlogged)}")
    print(f"overhead per logged request (median)          {overhead:6.2f} ms")


def bench_verify(engine: str) -> None:
    count = PhiAccess.objects.count()
    start = time.perf_counter()
    report = phi_access_chain_verify()
    elapsed = time.perf_counter() - start
    assert report.ok, report.broken
    print(
        f"verify_audit_log walk ({engine})                {count / elapsed:9.0f} rows/s "
        f"({count} rows in {elapsed:.2f} s)"
    )


if __name__ == "__main__":
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        bench_sequential(engine)
        bench_concurrent(engine)
        bench_request(engine)
        bench_verify(engine)
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
