"""Booking benchmarks; prints its figures. Needs PostgreSQL (it creates and drops its own database).

    .venv/bin/python bench/scheduling.py [--postgres postgres://postgres@127.0.0.1:5432]
                                         [--port 8113] [--workers 4] [--runs 200]

1. Availability for 30 days at a location with 10 physicians and 1,000 existing appointments,
   through the API view in-process: p50/p95 latency and SQL queries per request, for each type,
   computed (each request misses the public response cache) and answered from that cache.
   Targets (for the computed answer): p95 under 50 ms, at most 6 queries.
   1c. How that time grows with physicians (1, 5, 10, 20) and days (7, 30, 60): the API's work
   in-process (the availability read and its JSON), follow-ups, same density of appointments.
2. 50 concurrent booking requests for one slot over HTTP to gunicorn (several workers) on
   PostgreSQL, each from its own patient: exactly one 201 and 49 409s, no 5xx. Then 50 requests
   for overlapping slots of the three types at once: again exactly one 201. For each race, where
   the time goes: the server's phases per request (``bench/booking_phases.py`` times the booking
   service's steps, authentication, commit and after-commit work inside the gunicorn workers),
   and the time requests waited for a free worker (the client's latency minus the server's).
"""

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.environment import configure  # noqa: E402

PHYSICIANS = 10
EXISTING = 1000
DAYS = 30
CONCURRENT = 50
SCALE_PHYSICIANS = (1, 5, 10, 20)
SCALE_DAYS = (7, 30, 60)
PHASES_FILE = Path(f"/tmp/bench_perf_phases_{os.getpid()}.jsonl")


def _admin(url: str):
    return psycopg.connect(f"{url}/postgres", autocommit=True)


def _seed(stdout):
    from django.utils import timezone

    from clinic.models import Location, Provider, User
    from scheduling.availability import availability_for
    from scheduling.demo import COMMON_RULES, TYPES
    from scheduling.models import (
        Appointment,
        AppointmentType,
        ProviderAppointmentType,
        WorkingHours,
    )

    location = Location.objects.create(
        slug="bench-houston",
        name="Bench Houston",
        street="1 Bench Street",
        city="Houston",
        region="TX",
        postal_code="77030",
        phone="(713) 555-0100",
        timezone="America/Chicago",
    )
    kinds = [
        AppointmentType.objects.create(
            slug=spec["slug"], **{**COMMON_RULES, **{k: v for k, v in spec.items() if k != "slug"}}
        )
        for spec in TYPES
    ]
    providers = []
    for n in range(PHYSICIANS):
        provider = Provider.objects.create(slug=f"bench-doc-{n:02d}", name=f"Dr. Bench {n}")
        provider.locations.add(location)
        for weekday in range(5):
            for start, end in ((9, 12), (13, 17)):
                WorkingHours.objects.create(
                    provider=provider,
                    location=location,
                    weekday=weekday,
                    start=f"{start:02d}:00",
                    end=f"{end:02d}:00",
                )
        for kind in kinds:
            ProviderAppointmentType.objects.create(provider=provider, appointment_type=kind)
        providers.append(provider)

    patients = [
        User.objects.create_user(email=f"bench-patient-{n}@example.org", password=None)
        for n in range(EXISTING + CONCURRENT)
    ]
    today = timezone.now().astimezone(location.zone).date()
    first, last = today + timedelta(days=1), today + timedelta(days=DAYS)
    consultation = kinds[0]
    free = availability_for(location=location, kind=consultation, first=first, last=last)
    rng = random.Random(6)
    chosen = rng.sample(free, EXISTING)
    now = timezone.now()
    Appointment.objects.bulk_create(
        Appointment(
            patient=patients[i],
            provider=slot.provider,
            location=location,
            appointment_type=consultation,
            start=slot.start,
            end=slot.end,
            blocked_start=slot.start,
            blocked_end=slot.end,
            status=Appointment.Status.CONFIRMED,
            confirmed_at=now,
        )
        for i, slot in enumerate(chosen)
    )
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum does soon after a bulk load
        cursor.execute("ANALYZE")
    stdout(
        f"data: {PHYSICIANS} physicians, {Appointment.objects.count()} appointments "
        f"over {DAYS} days, {len(patients)} patients"
    )
    return location, kinds, providers, patients[EXISTING:], first, last


def _percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _availability_url(location, kind, first, last) -> str:
    return (
        f"/api/v1/locations/{location.slug}/availability/?type={kind.slug}&start={first}&end={last}"
    )


def _uncached(url: str, run: int) -> str:
    """The URL with a parameter of its own, so the public response cache (which keys answers
    by their query) misses and the slots are computed: the target is for that work."""
    return f"{url}&bench_run={run}"


def bench_availability(location, kinds, first, last, runs):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # This process still holds the seeding's objects; a server freezes its start-up heap
    # (gunicorn.conf.py), so the timings below do not pay for full collections of data no
    # request made. 1b measures the real server without this step.
    gc.collect()
    gc.freeze()
    client = Client()
    print(f"\n1. availability, {DAYS} days ({first}..{last}), {runs} requests per type")
    print("   computed (each request misses the response cache) | answered from the cache")
    for kind in kinds:
        url = _availability_url(location, kind, first, last)
        for run in range(10):
            client.get(_uncached(url, -run))
        computed = []
        for run in range(runs):
            started = time.perf_counter()
            response = client.get(_uncached(url, run))
            computed.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_uncached(url, runs))
        slots = len(response.json()["slots"])
        cached = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            cached.append((time.perf_counter() - started) * 1000)
        print(
            f"   {kind.slug:<20} slots={slots:<5} p50={statistics.median(computed):6.1f} ms  "
            f"p95={_percentile(computed, 95):6.1f} ms  queries={len(queries.captured_queries)}"
            f"  | cached p50={statistics.median(cached):5.1f} ms  "
            f"p95={_percentile(cached, 95):5.1f} ms"
        )


def _seed_scale(physicians: int, kinds, today):
    """A location with ``physicians`` physicians (weekdays 9-12 and 13-17) and the main
    scenario's density of booked consultations (1,000 for ten physicians over 30 days) over
    ``max(SCALE_DAYS)`` days, each with a patient of its own."""
    from django.utils import timezone

    from clinic.models import Location, Provider, User
    from scheduling.availability import availability_for
    from scheduling.models import Appointment, ProviderAppointmentType, WorkingHours

    location = Location.objects.create(
        slug=f"bench-scale-{physicians}",
        name=f"Bench scale {physicians}",
        street="1 Bench Street",
        city="Houston",
        region="TX",
        postal_code="77030",
        phone="(713) 555-0100",
        timezone="America/Chicago",
    )
    for n in range(physicians):
        provider = Provider.objects.create(
            slug=f"bench-scale-{physicians}-{n:02d}", name=f"Dr. Scale {n}"
        )
        provider.locations.add(location)
        WorkingHours.objects.bulk_create(
            WorkingHours(
                provider=provider,
                location=location,
                weekday=weekday,
                start=f"{start:02d}:00",
                end=f"{end:02d}:00",
            )
            for weekday in range(5)
            for start, end in ((9, 12), (13, 17))
        )
        ProviderAppointmentType.objects.bulk_create(
            ProviderAppointmentType(provider=provider, appointment_type=kind) for kind in kinds
        )
    days = max(SCALE_DAYS)
    first, last = today + timedelta(days=1), today + timedelta(days=days)
    free = availability_for(location=location, kind=kinds[0], first=first, last=last)
    chosen = random.Random(physicians).sample(free, EXISTING * physicians * days // (10 * DAYS))
    patients = User.objects.bulk_create(
        User(email=f"bench-scale-{physicians}-{i}@example.org", password="!")
        for i in range(len(chosen))
    )
    now = timezone.now()
    Appointment.objects.bulk_create(
        Appointment(
            patient=patient,
            provider=slot.provider,
            location=location,
            appointment_type=kinds[0],
            start=slot.start,
            end=slot.end,
            blocked_start=slot.start,
            blocked_end=slot.end,
            status=Appointment.Status.CONFIRMED,
            confirmed_at=now,
        )
        for patient, slot in zip(patients, chosen, strict=True)
    )
    return location


def bench_availability_scale(kinds, runs):
    """1c: the API's work (availability read + JSON) by physicians and days, follow-ups."""
    from django.db import connection
    from django.utils import timezone

    from scheduling.api import availability_json
    from scheduling.availability import availability_seconds_for

    kind = next(k for k in kinds if k.slug == "follow-up")
    today = timezone.now().date()
    locations = {n: _seed_scale(n, kinds, today) for n in SCALE_PHYSICIANS}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    gc.collect()
    gc.freeze()
    print(
        f"\n1c. availability of follow-ups by physicians and days (in-process: read + JSON, "
        f"p50 / p95 ms of {runs} runs)"
    )
    print(f"   {'physicians':>10} " + " ".join(f"{f'{d} days':>18}" for d in SCALE_DAYS))
    for physicians, location in locations.items():
        cells = []
        for days in SCALE_DAYS:
            first, last = today + timedelta(days=1), today + timedelta(days=days)

            def once(location=location, first=first, last=last):
                found = availability_seconds_for(
                    location=location, kind=kind, first=first, last=last
                )
                return len(found), availability_json(location=location, kind=kind, found=found)

            for _ in range(3):
                once()
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                count, _body = once()
                timings.append((time.perf_counter() - started) * 1000)
            cells.append(
                f"{statistics.median(timings):6.1f} / {_percentile(timings, 95):5.1f} ({count:>5})"
            )
        print(f"   {physicians:>10} " + " ".join(f"{cell:>18}" for cell in cells))
    print("   (slots found in brackets)")


def bench_availability_http(location, kinds, first, last, runs, port, workers):
    """The same requests over HTTP to gunicorn, one at a time: what the website sees."""
    print(f"\n1b. the same over HTTP, gunicorn with {workers} workers, one request at a time")
    for kind in kinds:
        url = f"http://127.0.0.1:{port}" + _availability_url(location, kind, first, last)
        for run in range(10 * workers):
            urllib.request.urlopen(_uncached(url, -run), timeout=30).read()
        figures = {}
        for label in ("computed", "cached"):
            timings = []
            for run in range(runs):
                address = _uncached(url, run) if label == "computed" else url
                started = time.perf_counter()
                with urllib.request.urlopen(address, timeout=30) as answer:
                    answer.read()
                timings.append((time.perf_counter() - started) * 1000)
            figures[label] = timings
        print(
            f"   {kind.slug:<20} computed p50={statistics.median(figures['computed']):6.1f} ms  "
            f"p95={_percentile(figures['computed'], 95):6.1f} ms"
            f"  | cached p50={statistics.median(figures['cached']):5.1f} ms  "
            f"p95={_percentile(figures['cached'], 95):5.1f} ms"
        )


def _start_gunicorn(port: int, workers: int):
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.booking_phases",
            "BENCH_PHASES_FILE": str(PHASES_FILE),
        },
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def _race(port, requests):
    """Fire all requests at once (threads released by a barrier); statuses and latencies."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, token, body):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/appointments/",
            data=body.encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
            method="POST",
        )
        barrier.wait()
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        results[index] = (status, (time.perf_counter() - started) * 1000)

    threads = [
        threading.Thread(target=run, args=(i, token, body))
        for i, (token, body) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _report(label, results):
    statuses = [status for status, _ms in results]
    latencies = [ms for _status, ms in results]
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    ok = counts.get(201) == 1 and counts.get(409) == len(results) - 1
    print(
        f"   {label}: {counts}  5xx={sum(1 for s in statuses if s >= 500)}  "
        f"p50={statistics.median(latencies):.0f} ms  max={max(latencies):.0f} ms  "
        f"{'OK' if ok else 'FAILED'}"
    )
    _report_phases(latencies)
    return ok


def _report_phases(latencies):
    """Where the time of the race went, from the server's phase lines (then emptied)."""
    lines = [json.loads(line) for line in PHASES_FILE.read_text().splitlines()]
    PHASES_FILE.write_text("")
    if not lines:
        return
    totals = [line["total"] for line in lines]
    phases: dict[str, list[float]] = {}
    for line in lines:
        for phase, ms in line["phases"].items():
            phases.setdefault(phase, []).append(ms)
    queued = statistics.median(latencies) - statistics.median(totals)
    print(
        f"      in the server: p50 {statistics.median(totals):.1f} ms, max {max(totals):.1f} ms "
        f"per request; waiting for a worker (client p50 - server p50): {queued:.0f} ms"
    )
    print(f"      {'phase':<26} {'mean ms':>8} {'max ms':>8} {'share':>6}")
    grand = sum(totals)
    for phase, values in sorted(phases.items(), key=lambda item: -sum(item[1])):
        print(
            f"      {phase:<26} {sum(values) / len(lines):>8.1f} {max(values):>8.1f} "
            f"{sum(values) / grand:>6.0%}"
        )


def bench_concurrency(location, kinds, providers, patients, first, port, workers):
    import json

    from knox.models import AuthToken

    from scheduling.availability import availability_for
    from scheduling.models import Appointment

    tokens = [AuthToken.objects.create(user=p)[1] for p in patients]
    day = first + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    provider = providers[-1]
    free = availability_for(
        location=location, kind=kinds[0], first=day, last=day, provider=provider
    )
    slot, later = free[0], free[4]
    print(f"\n2. {CONCURRENT} concurrent bookings over HTTP, gunicorn with {workers} workers")

    def body(kind, start):
        return json.dumps(
            {
                "location": location.slug,
                "type": kind.slug,
                "provider": provider.slug,
                "start": start.isoformat(),
            }
        )

    same = _race(port, [(t, body(kinds[0], slot.start)) for t in tokens])
    ok_same = _report("one slot, one type     ", same)
    # Overlapping: all three cover the same quarter hour (consultation 30 min, a follow-up
    # in its second half, Discseel 60 min from the same start).
    starts = [
        (kinds[0], later.start),
        (kinds[1], later.start + timedelta(minutes=15)),
        (kinds[2], later.start),
    ]
    fresh = [AuthToken.objects.create(user=p)[1] for p in patients]
    mixed = _race(port, [(t, body(*starts[i % len(starts)])) for i, t in enumerate(fresh)])
    ok_mixed = _report("overlapping, three types", mixed)
    raced = Appointment.objects.filter(
        provider=provider, start__lt=later.end, end__gt=slot.start, status="confirmed"
    )
    print(f"   appointments in the database for the two raced times: {raced.count()} (2 expected)")
    return ok_same and ok_mixed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--port", type=int, default=8113)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    name = f"bench_perf_sched_{os.getpid()}"
    with _admin(args.postgres) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    print(f"database {name} (throwaway)")
    try:
        configure(DATABASE_URL=f"{args.postgres}/{name}", CELERY_BROKER_URL="", REDIS_URL="")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        location, kinds, providers, patients, first, last = _seed(print)
        bench_availability(location, kinds, first, last, args.runs)
        bench_availability_scale(kinds, max(10, args.runs // 10))
        PHASES_FILE.write_text("")
        server = _start_gunicorn(args.port, args.workers)  # one server for parts 1b and 2
        try:
            bench_availability_http(
                location, kinds, first, last, args.runs, args.port, args.workers
            )
            ok = bench_concurrency(
                location, kinds, providers, patients, first, args.port, args.workers
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        connections.close_all()
    finally:
        PHASES_FILE.unlink(missing_ok=True)
        with _admin(args.postgres) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"database {name} dropped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
