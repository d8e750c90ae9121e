"""Public reads of the API under load, beside a bare Django application; prints its figures.

    .venv/bin/python bench/location_api.py [--postgres postgres://postgres@127.0.0.1:5432]
        [--redis redis://127.0.0.1:6379/5] [--port 8110] [--workers 2] [--clients 8]
        [--seconds 3] [--rounds 4] [--database-prefix bench_perf] [--full-stack]

Needs PostgreSQL (it creates and drops its own database, filled by ``seed_demo --force``) and
Redis as the cache (it deletes the keys of the database number in ``--redis``, before and
after: give it one of your own).

Three gunicorn servers (four with ``--full-stack``), each with ``--workers`` sync workers and
the project's gunicorn.conf.py:

- **bare**: the yardstick, a bare Django application (``bench/bare_app.py``: SecurityMiddleware
  and CommonMiddleware, no apps, no database) answering each path with the bytes the product
  sent for it;
- **product**: the product with production settings (``bench/location_api_settings.py``);
- **first pass**: the same product without whole answers kept by the short path
  (``BENCH_NO_RESPONSE_CACHE=1``): locations and physicians from the view's cache, articles
  and availability built on every request, i.e. as before whole answers were kept;
- **full stack** (``--full-stack``): the same product without the short path of public reads
  (``BENCH_FULL_STACK=1``: every request through all of ``MIDDLEWARE``), i.e. as before it.

Each round loads, in turn and for a fixed time, every endpoint on the three servers one after
the other, with concurrent clients (asyncio, one connection per request, as gunicorn's sync
workers close them); rounds interleave so a busy machine slows them alike. Printed per endpoint
and server: requests per second, p50 and p99 latency, the workers' CPU time per request
(steadier than throughput when other programs share the machine), statuses, and the product's
throughput as a share of the bare application's. Target: at least 80% for the cached reads.

Also printed: how long an answer takes to build from the database when the cache is empty.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.environment import configure  # noqa: E402

TARGET_SHARE = 0.80
WARM_UP_SECONDS = 1.0
# Served from the public response cache (whole answers kept by the short path).
CACHED = {
    "locations list": "/api/v1/locations/",
    "location detail": "/api/v1/locations/lawrenceville-nj/",
    "physicians": "/api/v1/providers/",
    "articles": "/api/v1/articles/",
}


def _availability_path() -> str:
    first = datetime.now(UTC).date() + timedelta(days=1)
    return (
        "/api/v1/locations/lawrenceville-nj/availability/?type=new-consultation"
        f"&start={first}&end={first + timedelta(days=6)}"
    )


def _endpoints() -> dict[str, str]:
    return {
        **CACHED,
        # Kept 30 s at most, trusted while no new cache generation was announced.
        "availability (7 days)": _availability_path(),
    }


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


def _start_gunicorn(env: dict[str, str], port: int, workers: int, probe: str):
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
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn on port {port} did not start")


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


def _fetch(port: int, path: str) -> tuple[str, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, (path, response.status)
        return response.headers["Content-Type"], response.read()


def _empty(cache: redis.Redis) -> None:
    """Delete the keys of the bench's own Redis database (never FLUSHDB: shared server)."""
    for key in cache.scan_iter(count=500):
        cache.delete(key)


def _rebuild_ms(cache: redis.Redis, port: int, path: str, times: int = 5) -> float:
    """Median time of an answer built from the database: the cache emptied, and a moment
    allowed for the workers to stop trusting the generation they remember."""
    timings = []
    for _ in range(times):
        _empty(cache)
        time.sleep(1.1)
        started = time.perf_counter()
        _fetch(port, path)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run(servers: dict, endpoints: dict[str, str], clients: int, seconds: float, rounds: int):
    sizes = {
        label: len(_fetch(servers["product"][1], path)[1]) for label, path in endpoints.items()
    }
    for path in endpoints.values():  # fill the cache and warm the workers
        for _process, port in servers.values():
            asyncio.run(_load(port, path, clients, WARM_UP_SECONDS))
    results = {
        (server, label): ([], Counter(), 0.0, 0.0) for server in servers for label in endpoints
    }
    for _round in range(rounds):
        for label, path in endpoints.items():
            for server, (process, port) in servers.items():
                before = _workers_cpu_seconds(process.pid)
                latencies, statuses, elapsed = asyncio.run(_load(port, path, clients, seconds))
                cpu = _workers_cpu_seconds(process.pid) - before
                total = results[server, label]
                results[server, label] = (
                    total[0] + latencies,
                    total[1] + statuses,
                    total[2] + elapsed,
                    total[3] + cpu,
                )

    print(
        f"\n{clients} concurrent clients, {rounds} rounds x {seconds:g} s per endpoint and "
        "server, interleaved\n"
        f"{'endpoint':<22} {'server':<10} {'bytes':>6} {'req/s':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'CPU ms/req':>10} {'vs bare':>8}  statuses"
    )
    ok = True
    for label in endpoints:
        bare_rate = len(results["bare", label][0]) / results["bare", label][2]
        for server in servers:
            latencies, statuses, elapsed, cpu = results[server, label]
            rate = len(latencies) / elapsed
            share = rate / bare_rate
            if server == "product":  # every endpoint here is a cached read
                ok = ok and share >= TARGET_SHARE
            ok = ok and set(statuses) == {200}
            print(
                f"{label:<22} {server:<10} {sizes[label]:>6} {rate:>7.0f} "
                f"{statistics.median(latencies):>7.1f} {_percentile(latencies, 99):>7.1f} "
                f"{cpu * 1000 / len(latencies):>10.2f} {share:>8.0%}  {dict(statuses)}"
            )
    verdict = "MET" if ok else "NOT MET"
    print(
        f"target: the product's cached reads ({', '.join(endpoints)}) >= {TARGET_SHARE:.0%} "
        f"of the bare application, all 200: {verdict}"
    )
    return ok


def report_rebuilds(cache: redis.Redis, port: int) -> None:
    print("\nanswers built from the database (cache empty), median of 5:")
    for label, path in CACHED.items():
        print(f"   {label:<22} {_rebuild_ms(cache, port, path):6.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--port", type=int, default=8110, help="and the next three")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-prefix", default="bench_perf", help="of its throwaway one")
    parser.add_argument("--full-stack", action="store_true", help="also load the full stack")
    args = parser.parse_args()

    name = f"{args.database_prefix}_location_{os.getpid()}"
    cache = redis.Redis.from_url(args.redis)
    _empty(cache)
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    print(f"database {name} (throwaway), cache {args.redis} (emptied)")
    started: list[subprocess.Popen] = []
    try:
        env = _environment(f"{args.postgres}/{name}", args.redis)
        _prepare_database(env)
        endpoints = _endpoints()
        print(f"gunicorn: {args.workers} sync workers per server, demo data")
        product = _start_gunicorn(env, args.port + 1, args.workers, CACHED["locations list"])
        started.append(product)
        first = _start_gunicorn(
            {**env, "BENCH_NO_RESPONSE_CACHE": "1"},
            args.port + 2,
            args.workers,
            CACHED["physicians"],
        )
        started.append(first)
        if args.full_stack:
            full = _start_gunicorn(
                {**env, "BENCH_FULL_STACK": "1"}, args.port + 3, args.workers, CACHED["physicians"]
            )
            started.append(full)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as bodies:
            json.dump(
                {
                    path.split("?")[0]: [kind, body.decode()]
                    for path in endpoints.values()
                    for kind, body in [_fetch(args.port + 1, path)]
                },
                bodies,
            )
        bare_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.bare_app"}
        bare_env["BENCH_BARE_BODIES"] = bodies.name
        bare = _start_gunicorn(bare_env, args.port, args.workers, CACHED["physicians"])
        started.append(bare)
        servers = {
            "bare": (bare, args.port),
            "product": (product, args.port + 1),
            "first pass": (first, args.port + 2),
        }
        if args.full_stack:
            servers["full stack"] = (full, args.port + 3)
        ok = run(servers, endpoints, args.clients, args.seconds, args.rounds)
        report_rebuilds(cache, args.port + 1)
        os.unlink(bodies.name)
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=30)
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _empty(cache)
        print(f"database {name} dropped, cache emptied")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
