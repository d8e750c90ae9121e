"""Public location API under load, beside a bare Django view; prints its figures.

    .venv/bin/python bench/location_api.py [--postgres postgres://postgres@127.0.0.1:5432]
        [--redis redis://127.0.0.1:6379/13] [--port 8115] [--workers 2] [--clients 8]
        [--seconds 4] [--rounds 4]

Needs PostgreSQL (it creates and drops its own database, filled by ``seed_demo --force``) and
Redis as the cache (it empties only the database number in ``--redis``, before and after).
gunicorn serves the product with ``bench/location_api_settings.py``: the same settings and
middleware, plus a bench-only bare view returning a fixed JSON body. Throttling is off.

Also printed: how long an answer takes to build from the database when the cache is empty.

Each round loads, in turn and for a fixed time, the bare view, ``/api/v1/locations/`` and
``/api/v1/locations/lawrenceville-nj/`` with concurrent clients (asyncio, one connection per
request, as gunicorn's sync workers close them); rounds interleave the endpoints so a busy
machine slows them alike. Printed: requests per second, p50 and p99 latency, the workers' CPU
time per request (steadier than throughput when other programs share the machine), statuses,
and each location endpoint's throughput as a share of the bare view's.
Target: the location endpoints reach at least 80% of the bare view's throughput.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.environment import configure  # noqa: E402

TARGET_SHARE = 0.80
BARE = "/bench/bare/"
ENDPOINTS = ["/api/v1/locations/", "/api/v1/locations/lawrenceville-nj/"]
WARM_UP_SECONDS = 1.5


def _environment(db_url: str, redis_url: str) -> dict[str, str]:
    return {
        **configure(),
        "DJANGO_SETTINGS_MODULE": "bench.location_api_settings",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": "",
    }


def _prepare_database(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--force"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
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
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{BARE}", timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


async def _client(port: int, request: bytes, deadline: float, latencies: list, statuses: Counter):
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            data = await reader.read()  # gunicorn's sync worker closes after the response
            writer.close()
            status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
        except OSError:
            status = 0
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[status] += 1


async def _load(port: int, path: str, clients: int, seconds: float):
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    statuses: Counter = Counter()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_client(port, request, deadline, latencies, statuses) for _ in range(clients))
    )
    return latencies, statuses, time.perf_counter() - started


def _workers_cpu_seconds(master: int) -> float:
    """User + system CPU time of gunicorn's worker processes so far (Linux /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _body_size(port: int, path: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        assert response.status == 200, (path, response.status)
        return len(response.read())


def _rebuild_ms(cache: redis.Redis, port: int, path: str, times: int = 5) -> float:
    """Median time of an answer built from the database: the cache emptied, and a moment
    allowed for the workers to stop trusting the generation they remember."""
    timings = []
    for _ in range(times):
        cache.flushdb()
        time.sleep(1.1)
        started = time.perf_counter()
        _body_size(port, path)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run(master: int, port: int, clients: int, seconds: float, rounds: int) -> bool:
    targets = [BARE, *ENDPOINTS]
    sizes = {path: _body_size(port, path) for path in targets}
    for path in targets:  # fill the cache and warm the workers
        asyncio.run(_load(port, path, clients, WARM_UP_SECONDS))
    results = {path: ([], Counter(), 0.0) for path in targets}
    cpu = dict.fromkeys(targets, 0.0)
    for _round in range(rounds):
        for path in targets:
            before = _workers_cpu_seconds(master)
            latencies, statuses, elapsed = asyncio.run(_load(port, path, clients, seconds))
            cpu[path] += _workers_cpu_seconds(master) - before
            total = results[path]
            results[path] = (total[0] + latencies, total[1] + statuses, total[2] + elapsed)

    print(
        f"\n{clients} concurrent clients, {rounds} x {seconds:g} s per endpoint\n"
        f"{'endpoint':<38} {'bytes':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms/req':>10} {'vs bare':>8}  statuses"
    )
    bare_rate = len(results[BARE][0]) / results[BARE][2]
    ok = True
    for path in targets:
        latencies, statuses, elapsed = results[path]
        rate = len(latencies) / elapsed
        share = rate / bare_rate
        label = "bare Django view (fixed JSON)" if path == BARE else path
        if path != BARE:
            ok = ok and share >= TARGET_SHARE
        ok = ok and set(statuses) == {200}
        print(
            f"{label:<38} {sizes[path]:>6} {rate:>8.0f} {statistics.median(latencies):>7.1f} "
            f"{_percentile(latencies, 99):>7.1f} {cpu[path] * 1000 / len(latencies):>10.2f} "
            f"{share:>8.0%}  {dict(statuses)}"
        )
    verdict = "MET" if ok else "NOT MET"
    print(f"target: location endpoints >= {TARGET_SHARE:.0%} of the bare view, all 200: {verdict}")
    return ok


def report_rebuilds(cache: redis.Redis, port: int) -> None:
    print("\nanswers built from the database (cache empty), median of 5:")
    for path in ENDPOINTS:
        print(f"   {path:<38} {_rebuild_ms(cache, port, path):6.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--port", type=int, default=8115)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()

    name = f"clinic_bench_location_{os.getpid()}"
    cache = redis.Redis.from_url(args.redis)
    cache.flushdb()
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    print(f"database {name} (throwaway), cache {args.redis} (emptied)")
    try:
        env = _environment(f"{args.postgres}/{name}", args.redis)
        _prepare_database(env)
        print(f"gunicorn: {args.workers} sync workers on port {args.port}, demo data")
        process = _start_gunicorn(env, args.port, args.workers)
        try:
            ok = run(process.pid, args.port, args.clients, args.seconds, args.rounds)
            report_rebuilds(cache, args.port)
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cache.flushdb()
        print(f"database {name} dropped, cache emptied")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
