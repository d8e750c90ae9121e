"""The public API cache on PostgreSQL with no wrapping test transaction: a write starts a new
cache generation only once it commits. Were it to start one before, a request served from
another connection while the write is still open would rebuild the answer from the old rows and
store it under the new generation, and the website would show the old data for a minute."""

import pytest
from django.core.cache import cache
from django.db import transaction
from rest_framework.test import APIClient

from portal import public_cache
from tests.concurrency import Background
from tests.scheduling.helpers import api_book

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]
PROVIDERS = "/api/v1/providers/"


def names() -> list[str]:
    return [p["name"] for p in APIClient().get(PROVIDERS).json()]


def test_a_rename_shows_after_its_commit_and_not_a_request_earlier(clinic_world):
    marsh = clinic_world.marsh
    assert names() == ["Dr. Elena Marsh", "Dr. Nadia Brennan"]
    generation = cache.get(public_cache.GENERATION_KEY)

    with transaction.atomic():  # as the admin saves a physician
        marsh.name = "Dr. Elena Marsh-Ortiz"
        marsh.save()
        assert cache.get(public_cache.GENERATION_KEY) == generation
        assert Background(names).result() == ["Dr. Elena Marsh", "Dr. Nadia Brennan"]

    assert cache.get(public_cache.GENERATION_KEY) != generation
    assert names() == ["Dr. Elena Marsh-Ortiz", "Dr. Nadia Brennan"]


def test_a_write_rolled_back_keeps_the_generation_and_the_answer(clinic_world):
    assert names() == ["Dr. Elena Marsh", "Dr. Nadia Brennan"]
    generation = cache.get(public_cache.GENERATION_KEY)
    with transaction.atomic():
        clinic_world.marsh.name = "Dr. Never Saved"
        clinic_world.marsh.save()
        transaction.set_rollback(True)
    assert cache.get(public_cache.GENERATION_KEY) == generation
    assert names() == ["Dr. Elena Marsh", "Dr. Nadia Brennan"]


def test_a_booking_over_the_api_moves_the_next_free_time_at_once(clinic_world, patient):
    def next_free() -> str:
        location = APIClient().get("/api/v1/locations/lawrenceville-nj/").json()
        return location["next_available"]["start"]

    first = next_free()
    assert first == "2026-10-05T11:00:00-04:00"
    client = APIClient()
    client.force_authenticate(patient)
    booked = api_book(client, provider="elena-marsh", start=first, location="lawrenceville-nj")
    assert booked.status_code == 201
    assert next_free() == "2026-10-05T11:30:00-04:00"
