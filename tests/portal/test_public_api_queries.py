"""The public API reads in a fixed number of SQL queries, whatever the number of locations,
physicians and articles (measured with the cache empty, so every answer is built)."""

from datetime import time

import pytest
from django.core.cache import cache

from tests.education.factories import ArticleFactory
from tests.factories import LocationFactory, ServiceFactory
from tests.scheduling.factories import demo_type, working_physician

# location + hours, services, physicians; next free consultation (type, who offers it,
# weekly hours, overrides, busy time); for the detail also the articles and their relations.
QUERIES = {
    "/api/v1/locations/": 9,
    "/api/v1/locations/place-0/": 13,
    "/api/v1/providers/": 2,
    "/api/v1/providers/doctor-0-0/": 2,
}


def _clinic(*, locations: int, physicians: int, articles: int) -> None:
    consultation = demo_type("new-consultation")
    services = [ServiceFactory(slug=f"service-{n}") for n in range(3)]
    for n in range(locations):
        location = LocationFactory(slug=f"place-{n}", timezone="America/Chicago")
        location.services.set(services)
        for m in range(physicians):
            working_physician(
                location=location,
                kinds=[consultation],
                slug=f"doctor-{n}-{m}",
                intervals=((time(9), time(12)),),
            )
    for n in range(articles):
        ArticleFactory(slug=f"article-{n}").locations.set(
            [LocationFactory(slug="place-0")] if n % 2 else []
        )


@pytest.mark.parametrize(("url", "queries"), QUERIES.items())
@pytest.mark.parametrize(
    "size",
    [
        {"locations": 1, "physicians": 1, "articles": 1},
        {"locations": 6, "physicians": 5, "articles": 12},
    ],
)
def test_queries_do_not_grow_with_the_data(
    db, api_client, public_now, django_assert_max_num_queries, url, queries, size
):
    _clinic(**size)
    cache.clear()

    with django_assert_max_num_queries(queries):
        response = api_client.get(url)

    assert response.status_code == 200
    if url == "/api/v1/locations/":
        assert len(response.json()) == size["locations"]
        assert all(item["next_available"] for item in response.json())
