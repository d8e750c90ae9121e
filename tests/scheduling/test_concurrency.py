"""Many patients at once, one slot: exactly one booking wins (PostgreSQL exclusion constraints).

Real threads, each with its own database connection, released at a barrier so their
transactions overlap (``tests.concurrency.race``).
"""

from datetime import date, time

import pytest

from scheduling.errors import PatientConflict, SlotUnavailable
from scheduling.models import Appointment
from scheduling.services import appointment_book, appointment_hold
from tests.concurrency import race
from tests.factories import PatientFactory
from tests.scheduling.helpers import at

pytestmark = [
    pytest.mark.requires_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen"),
]
DAY = date(2026, 10, 6)


def test_many_threads_booking_one_slot_exactly_one_wins(physician, houston, consultation):
    patients = [PatientFactory() for _ in range(12)]
    start = at(houston, DAY, time(9))
    outcomes = race(
        [
            lambda p=p: appointment_book(
                patient=p, provider=physician, location=houston, kind=consultation, start=start
            )
            for p in patients
        ]
    )
    won = [o for o in outcomes if isinstance(o, Appointment)]
    assert len(won) == 1
    assert all(isinstance(o, SlotUnavailable) for o in outcomes if o is not won[0])
    assert Appointment.objects.filter(provider=physician).count() == 1


def test_overlapping_slots_of_different_types_admit_one(physician, houston, kinds):
    consultation, follow_up, discseel = kinds
    # Every one of these covers 09:15-09:30, so at most one may exist.
    candidates = [
        (consultation, time(9)),
        (follow_up, time(9, 15)),
        (discseel, time(9)),
    ] * 4
    patients = [PatientFactory() for _ in candidates]
    calls = [
        lambda k=kind, c=clock, p=patient: appointment_book(
            patient=p, provider=physician, location=houston, kind=k, start=at(houston, DAY, c)
        )
        for (kind, clock), patient in zip(candidates, patients, strict=True)
    ]
    outcomes = race(calls)
    assert sum(isinstance(o, Appointment) for o in outcomes) == 1
    assert sum(isinstance(o, SlotUnavailable) for o in outcomes) == len(candidates) - 1
    assert Appointment.objects.filter(provider=physician).count() == 1


def test_one_patient_booking_two_physicians_at_once_gets_one(physician, houston, kinds):
    from tests.scheduling.factories import working_physician

    other = working_physician(location=houston, kinds=kinds)
    patient = PatientFactory()
    start = at(houston, DAY, time(9))
    outcomes = race(
        [
            lambda d=doctor: appointment_book(
                patient=patient, provider=d, location=houston, kind=kinds[0], start=start
            )
            for doctor in (physician, other) * 3
        ]
    )
    assert Appointment.objects.filter(patient=patient).count() == 1
    assert sum(isinstance(o, Appointment) for o in outcomes) == 1
    assert all(isinstance(o, Appointment | PatientConflict | SlotUnavailable) for o in outcomes), [
        repr(o) for o in outcomes
    ]


def test_a_hold_and_a_booking_racing_for_one_slot(physician, houston, consultation):
    start = at(houston, DAY, time(9))
    services = (appointment_hold, appointment_book) * 4
    patients = [PatientFactory() for _ in services]
    outcomes = race(
        [
            lambda s=service, p=patient: s(
                patient=p, provider=physician, location=houston, kind=consultation, start=start
            )
            for service, patient in zip(services, patients, strict=True)
        ]
    )
    assert sum(isinstance(o, Appointment) for o in outcomes) == 1
    assert Appointment.objects.filter(provider=physician).count() == 1


def test_the_database_itself_refuses_an_overlap(physician, houston, consultation):
    """The constraint, not only the service's check: a raw overlapping insert fails."""
    from django.db import IntegrityError

    first = appointment_book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        start=at(houston, DAY, time(9)),
    )
    clone = Appointment(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        appointment_type=consultation,
        start=first.start,
        end=first.end,
        blocked_start=first.blocked_start,
        blocked_end=first.blocked_end,
        status="confirmed",
    )
    with pytest.raises(IntegrityError):
        clone.save()
