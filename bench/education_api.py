"""Education API and page timings on the local database (after `seed_demo`).

    DJANGO_DEBUG=1 .venv/bin/python bench/education_api.py [--extra 200] [--runs 50]

Prints, per endpoint, the median and 95th-percentile time of an in-process request and its
number of SQL queries. ``--extra N`` first adds N published copies of a demo article (inside a
transaction that is rolled back at the end), to show the list stays flat as articles grow.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("API_THROTTLE_RATES", "off")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from education import services  # noqa: E402
from education.models import Article  # noqa: E402


def measure(client: Client, url: str, runs: int, **headers) -> tuple[float, float, int, int]:
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, len(queries), response.status_code


def add_copies(count: int) -> None:
    source = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    for n in range(count):
        copy = services.article_create(
            user=None,
            title=f"{source.title} ({n})",
            slug=f"bench-copy-{n}",
            summary=source.summary,
            body_markdown=source.body_markdown,
            category=source.category,
            author=source.author,
            reviewer=source.reviewer,
            tags=list(source.tags.all()),
        )
        services.article_publish(article=copy, user=None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra", type=int, default=0)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    with transaction.atomic():
        if args.extra:
            add_copies(args.extra)
        slug = "l5-s1-nerve-damage-symptoms"
        detail = f"/api/v1/articles/{slug}/"
        etag = client.get(detail)["ETag"]
        rows = [
            ("GET /api/v1/articles/", "/api/v1/articles/", {}),
            ("GET /api/v1/articles/?page_size=100", "/api/v1/articles/?page_size=100", {}),
            ("GET /api/v1/articles/?q=nerve", "/api/v1/articles/?q=nerve", {}),
            ("GET /api/v1/articles/{slug}/", detail, {}),
            ("GET /api/v1/articles/{slug}/ (304)", detail, {"HTTP_IF_NONE_MATCH": etag}),
            ("GET /education/", "/education/", {}),
            ("GET /education/{slug}/", f"/education/{slug}/", {}),
        ]
        published = Article.objects.filter(status=Article.Status.PUBLISHED).count()
        print(f"{connection.vendor}, {published} published articles, {args.runs} runs each")
        print(f"{'endpoint':42} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>7}")
        for label, url, headers in rows:
            median, p95, queries, status = measure(client, url, args.runs, **headers)
            print(f"{label:42} {median:10.1f} {p95:8.1f} {queries:8d} {status:7d}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
