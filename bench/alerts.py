"""Staff alert benchmark: delivery latency through a real Celery worker, and a Redis outage drill.

    .venv/bin/python bench/alerts.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_alerts_bench \\
    BENCH_REDIS_PORT=6390 BENCH_SUBMISSIONS=200 BENCH_OUTAGE_SUBMISSIONS=100 \\
        .venv/bin/python bench/alerts.py

Needs PostgreSQL and the `redis-server` binary. It creates a throw-away database (dropped at the
end), starts a private Redis on its own port (so it can stop and start it without touching a
shared one), a `celery -A config worker` and a `celery -A config beat` as subprocesses with the
bench's environment, and sends alert e-mails to a file-based backend (one file per e-mail).

1. Latency: POST BENCH_SUBMISSIONS emergency assessments to /api/v1/triage/assessments/
   (Django's test client, the whole request stack, throttling off) one after another; for each,
   the time from the 201 to the delivery row's `sent_at` (written by the worker when the mail
   backend accepted the message). Prints p50/p95/max. Target: p95 under 500 ms.
2. Outage drill: stop Redis, submit BENCH_OUTAGE_SUBMISSIONS emergency assessments (each still
   gets its 201; the submit time is printed), start Redis again, and count the deliveries sent
   within 120 s of the restart and the e-mails per alert. Target: all of them, none twice.
"""

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.environment import configure  # noqa: E402
from tests.redis_server import PrivateRedis  # noqa: E402 - also bench/broker_outage.py's

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_alerts_bench"
)
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6390"))
BROKER_URL = f"redis://127.0.0.1:{REDIS_PORT}/13"
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "200"))
OUTAGE_SUBMISSIONS = int(os.environ.get("BENCH_OUTAGE_SUBMISSIONS", "100"))
RECOVERY_LIMIT = 120.0
WORK = Path(tempfile.mkdtemp(prefix="bench-alerts-"))
MAIL_DIR = WORK / "mail"

ENV = configure(
    DATABASE_URL=DATABASE_URL,
    CELERY_BROKER_URL=BROKER_URL,
    REDIS_URL="",
    EMAIL_URL=f"filemail:///{MAIL_DIR}",
    # Nothing is acknowledged during the bench: keep escalation e-mails out of the counts.
    ALERT_ESCALATE_CRITICAL_MINUTES="600",
    ALERT_ESCALATE_HIGH_MINUTES="600",
)

import logging  # noqa: E402
import warnings  # noqa: E402

import psycopg  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")


def _admin_url() -> tuple[str, str]:
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def database_create() -> None:
    url, name = _admin_url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop() -> None:
    url, name = _admin_url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def celery(*args: str) -> subprocess.Popen:
    log = open(WORK / f"{args[0]}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", *args],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * share) - 1)]


def summary(label: str, values_ms: list[float]) -> str:
    return (
        f"{label:<44} p50 {statistics.median(values_ms):7.1f} ms  "
        f"p95 {percentile(values_ms, 0.95):7.1f} ms  max {max(values_ms):7.1f} ms"
    )


def mails_per_alert() -> Counter:
    counts: Counter = Counter()
    for path in MAIL_DIR.glob("*.log"):
        counts.update(re.findall(r"^Subject: .*alert (\d+) is waiting", path.read_text(), re.M))
    return counts


def main() -> None:
    database_create()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tests.triage.vignettes import answers
    from triage.models import AlertDelivery, Assessment

    call_command("migrate", verbosity=0)
    # Each enqueue that fails during the outage is logged with its traceback by Django's robust
    # on_commit; expected here, so kept out of the printed figures.
    logging.getLogger("django.db.backends.base").setLevel(logging.CRITICAL)
    redis_server = PrivateRedis(REDIS_PORT)
    redis_server.start()
    MAIL_DIR.mkdir()
    worker = celery("worker", "--concurrency", "2", "--loglevel", "WARNING", "-n", "bench@%h")
    beat = celery("beat", "--loglevel", "WARNING", "--schedule", str(WORK / "beat-schedule"))
    client = Client()
    body = {
        "questionnaire": "lumbar-radiculopathy",
        "answers": answers(ces_saddle=True, ces_onset="new"),
    }

    def submit() -> tuple[str, float, float]:
        started = time.time()
        response = client.post("/api/v1/triage/assessments/", body, content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()["id"], started, time.time()

    def sent_rows(ids) -> dict[str, datetime]:
        rows = AlertDelivery.objects.filter(
            alert__assessment_id__in=ids, status=AlertDelivery.Status.SENT
        ).values_list("alert__assessment_id", "sent_at")
        return {str(assessment): sent_at for assessment, sent_at in rows}

    def wait_sent(ids, limit: float) -> dict[str, datetime]:
        deadline = time.monotonic() + limit
        while True:
            sent = sent_rows(ids)
            if len(sent) == len(ids) or time.monotonic() > deadline:
                return sent
            time.sleep(0.2)

    try:
        time.sleep(3)  # the worker connects and is ready
        warm = [submit()[0] for _ in range(5)]
        wait_sent(warm, 30)

        print(f"Latency: {SUBMISSIONS} emergency submissions, worker concurrency 2")
        submitted = [submit() for _ in range(SUBMISSIONS)]
        ids = [s[0] for s in submitted]
        sent = wait_sent(ids, 60)
        after_201 = [
            max(0.0, (sent[i].timestamp() - done) * 1000)
            for i, _start, done in submitted
            if i in sent
        ]
        from_request = [
            (sent[i].timestamp() - start) * 1000 for i, start, _ in submitted if i in sent
        ]
        submit_ms = [(done - start) * 1000 for _i, start, done in submitted]
        print(f"  delivered {len(sent)}/{len(ids)}")
        print("  " + summary("API submit (request to 201)", submit_ms))
        print("  " + summary("201 -> delivery row sent", after_201))
        print("  " + summary("request start -> delivery row sent", from_request))

        print(f"Outage drill: Redis stopped, {OUTAGE_SUBMISSIONS} emergency submissions")
        before = mails_per_alert()
        redis_server.stop()
        outage = [submit() for _ in range(OUTAGE_SUBMISSIONS)]
        outage_ids = [s[0] for s in outage]
        pending = AlertDelivery.objects.filter(
            alert__assessment_id__in=outage_ids, status=AlertDelivery.Status.PENDING
        ).count()
        print(
            "  "
            + summary(
                "API submit with Redis down (request to 201)",
                [(done - start) * 1000 for _i, start, done in outage],
            )
        )
        print(
            f"  assessments saved {Assessment.objects.filter(pk__in=outage_ids).count()}"
            f"/{OUTAGE_SUBMISSIONS}, delivery rows pending {pending}"
        )
        time.sleep(5)
        redis_server.start()
        restarted_at = datetime.now(UTC)
        sent = wait_sent(outage_ids, RECOVERY_LIMIT)
        last = max(sent.values()) if sent else None
        time.sleep(5)  # anything sent twice would show up by now
        mails = mails_per_alert() - before
        alert_numbers = {
            str(n)
            for n in AlertDelivery.objects.filter(alert__assessment_id__in=outage_ids).values_list(
                "alert_id", flat=True
            )
        }
        per_alert = [mails[n] for n in alert_numbers]
        after_restart = f"{(last - restarted_at).total_seconds():.1f} s" if last else "-"
        print(
            f"  delivered within {RECOVERY_LIMIT:.0f} s of the restart: "
            f"{len(sent)}/{OUTAGE_SUBMISSIONS} (last one sent {after_restart} after the restart)"
        )
        print(
            f"  e-mails for these alerts: {sum(per_alert)}; alerts e-mailed twice or more: "
            f"{sum(1 for c in per_alert if c > 1)}; never: {sum(1 for c in per_alert if c == 0)}"
        )
        total = mails_per_alert()
        print(
            f"  whole run: {sum(total.values())} e-mails for {len(total)} alerts, "
            f"duplicates {sum(1 for c in total.values() if c > 1)}"
        )
    finally:
        stop(beat)
        stop(worker)
        redis_server.stop()
        connection.close()
        database_drop()
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
