"""Broker outage drill: how soon after Redis comes back is an alert raised during the outage
sent, with a real Celery worker and NO beat (only the worker's sweep on reconnection).

    .venv/bin/python bench/broker_outage.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_outage_bench \\
    BENCH_REDIS_PORT=6391 BENCH_ROUNDS=5 BENCH_OUTAGE_SECONDS=5 \\
        .venv/bin/python bench/broker_outage.py

Needs PostgreSQL and the `redis-server` binary; it creates and drops its own database and runs
its own redis-server on its own port (stopped and started on that port each round), and a
`celery -A config worker` subprocess (helpers shared with `bench/alerts.py`). Each round: stop
Redis, submit BENCH_SUBMISSIONS emergency assessments (each gets its 201, its alert row stays
pending), wait BENCH_OUTAGE_SECONDS, start Redis again, and measure from the moment Redis
answers again to the last of these delivery rows' `sent_at`. Target (issue 17 item 4): every
round under 10 s. Before: the minute beat sweep, up to 60 s.
"""

import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_outage_bench"
)
os.environ.setdefault("BENCH_REDIS_PORT", "6391")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import alerts as drill  # noqa: E402 - after the bench's database and port are set

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "3"))
OUTAGE_SECONDS = float(os.environ.get("BENCH_OUTAGE_SECONDS", "5"))
LIMIT = 120.0


def main() -> None:
    drill.database_create()
    import logging

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tests.triage.vignettes import answers
    from triage.models import AlertDelivery

    call_command("migrate", verbosity=0)
    logging.getLogger("django.db.backends.base").setLevel(logging.CRITICAL)
    redis_server = drill.PrivateRedis(drill.REDIS_PORT)
    redis_server.start()
    drill.MAIL_DIR.mkdir()
    worker = drill.celery("worker", "--concurrency", "1", "--loglevel", "WARNING", "-n", "o@%h")
    visitors = iter(range(1, 60000))
    body = {"questionnaire": "lumbar-radiculopathy", "answers": answers(cannot_walk_stand=True)}

    def submit() -> str:
        # Each from its own browser and address: repeats from one are merged into one alert.
        number = next(visitors)
        client = Client(REMOTE_ADDR=f"10.9.{number // 250}.{number % 250 + 1}")
        response = client.post("/api/v1/triage/assessments/", body, content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()["id"]

    def sent_at(ids) -> list[datetime]:
        return list(
            AlertDelivery.objects.filter(
                alert__assessment_id__in=ids, status=AlertDelivery.Status.SENT
            ).values_list("sent_at", flat=True)
        )

    delays = []
    try:
        time.sleep(3)  # the worker connects
        print(
            f"Broker outage drill: {ROUNDS} rounds, {SUBMISSIONS} emergency submissions each "
            f"during a {OUTAGE_SECONDS:.0f} s Redis outage; worker only, no beat"
        )
        for round_number in range(1, ROUNDS + 1):
            redis_server.stop()
            ids = [submit() for _ in range(SUBMISSIONS)]
            pending = AlertDelivery.objects.filter(
                alert__assessment_id__in=ids, status=AlertDelivery.Status.PENDING
            ).count()
            time.sleep(OUTAGE_SECONDS)
            redis_server.start()  # returns once Redis answers a PING
            back = datetime.now(UTC)
            deadline = time.monotonic() + LIMIT
            while len(sent := sent_at(ids)) < len(ids) and time.monotonic() < deadline:
                time.sleep(0.1)
            if len(sent) < len(ids):
                print(f"  round {round_number}: {len(sent)}/{len(ids)} sent within {LIMIT:.0f} s")
                continue
            delay = (max(sent) - back).total_seconds()
            delays.append(delay)
            print(
                f"  round {round_number}: {pending}/{len(ids)} pending during the outage; "
                f"Redis back -> last one sent: {delay:.2f} s"
            )
        if delays:
            print(
                f"Redis back -> sent: median {statistics.median(delays):.2f} s, "
                f"max {max(delays):.2f} s over {len(delays)} rounds (target: under 10 s)"
            )
    finally:
        drill.stop(worker)
        redis_server.stop()
        connection.close()
        drill.database_drop()
        drill.shutil.rmtree(drill.WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
