"""The PHI access chain on PostgreSQL with no wrapping test transaction, written the way the
portal writes it: patients reading and changing their profiles over the API at the same time,
each request from its own connection, all appending to one chain through its locked head. The
chain must come out unbroken (one row per position, each linked to the one before) and
``verify_audit_log`` must accept it; a change that rolls back takes its row along."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from audit.context import AccessContext
from audit.models import PhiAccess, PhiAccessChainHead
from clinic.services import patient_profile_update
from tests.concurrency import race
from tests.factories import PatientFactory

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]
PATIENTS = 6
ROUNDS = 3


def _reads_and_changes(patient) -> list[int]:
    client = APIClient()
    client.force_authenticate(patient)
    statuses = []
    for round_ in range(ROUNDS):
        statuses.append(client.get("/api/v1/me/").status_code)
        statuses.append(
            client.patch("/api/v1/me/", {"first_name": f"Ana {round_}"}, format="json").status_code
        )
    return statuses


def _links() -> list[tuple[int, bool]]:
    """Each row's position, and whether it names the hash of the row before it."""
    chain = list(PhiAccess.objects.order_by("id").values_list("id", "previous_hash", "hash"))
    return [
        (row_id, index == 0 or previous == chain[index - 1][2])
        for index, (row_id, previous, _hash) in enumerate(chain)
    ]


def test_patients_reading_and_changing_at_once_leave_one_unbroken_chain():
    patients = [PatientFactory() for _ in range(PATIENTS)]
    outcomes = race([lambda p=p: _reads_and_changes(p) for p in patients])
    assert outcomes == [[200] * (2 * ROUNDS)] * PATIENTS

    total = PATIENTS * ROUNDS * 2
    assert _links() == [(position, True) for position in range(1, total + 1)]
    head = PhiAccessChainHead.objects.get()
    assert (head.last_id, head.last_hash) == PhiAccess.objects.order_by("id").values_list(
        "id", "hash"
    ).last()
    for patient in patients:
        assert (
            sorted(PhiAccess.objects.filter(actor=patient).values_list("action", flat=True))
            == ["change"] * ROUNDS + ["view"] * ROUNDS
        )
    call_command("verify_audit_log", stdout=StringIO(), stderr=StringIO())  # raises on a break


def test_a_change_that_rolls_back_takes_its_access_row_and_the_head_with_it(patient):
    access = AccessContext(actor_id=patient.pk, channel="api", ip="192.0.2.7")
    with transaction.atomic():
        patient_profile_update(user=patient, access=access, first_name="Rolled back")
        transaction.set_rollback(True)
    assert PhiAccess.objects.count() == 0
    patient.refresh_from_db()
    assert patient.first_name != "Rolled back"

    patient_profile_update(
        user=patient,
        access=AccessContext(actor_id=patient.pk, channel="api", ip="192.0.2.7"),
        first_name="Kept",
    )
    assert _links() == [(1, True)]
    assert PhiAccessChainHead.objects.get().last_id == 1
    call_command("verify_audit_log", stdout=StringIO(), stderr=StringIO())
