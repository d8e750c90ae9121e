"""Demo data of the front desk's day board: fictional patients (555-01xx phone numbers) and a
believable today and tomorrow at both locations, in each location's own calendar.

Each physician working that day has a handful of appointments. Those whose time has passed are
completed, a no-show, or (the last hour) arrived; later ones are booked, a few checked in early;
some carry a triage flag. A weekend day gets a morning of extra hours so the board is never
empty. Idempotent: a physician's time that already has an appointment is left as it is (its
status may have been worked on the board since), so a second run adds nothing.
"""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from clinic.models import Location, PatientProfile, Provider, User
from scheduling.models import (
    Appointment,
    AppointmentEvent,
    AppointmentType,
    ScheduleOverride,
    TriageAttention,
    WorkingHours,
)
from scheduling.slots import local_instant

Status = Appointment.Status

# (first name, last name, phone) per location; the e-mail is made from the names.
PATIENTS = {
    "houston-tx": [
        ("Lucía", "Benavides", "+17135550111"),
        ("Marcus", "Whitfield", "+17135550112"),
        ("Rosa", "Delgado", "+17135550113"),
        ("Trevor", "Nguyen", "+17135550114"),
        ("Imani", "Carter", "+17135550115"),
        ("Héctor", "Salinas", "+17135550116"),
        ("Dolores", "Pruitt", "+17135550117"),
        ("Andre", "Castillo", "+17135550118"),
    ],
    "lawrenceville-nj": [
        ("Margaret", "Kowalski", "+16095550121"),
        ("Devon", "Patel", "+16095550122"),
        ("Eleanor", "Russo", "+16095550123"),
        ("Gabriel", "Okonkwo", "+16095550124"),
        ("Hannah", "Lindqvist", "+16095550125"),
        ("Victor", "Mendes", "+16095550126"),
    ],
}
# Local start times of a physician's demo day and the type of each.
DAY_PLAN = [
    (time(9, 0), "new-consultation"),
    (time(9, 30), "follow-up"),
    (time(10, 30), "discseel-candidacy"),
    (time(13, 0), "follow-up"),
    (time(14, 0), "new-consultation"),
    (time(15, 30), "follow-up"),
]
WEEKEND_HOURS = (time(9), time(12))
TRIAGE_FLAGS = {
    1: TriageAttention.EMERGENCY_SEEN,
    4: TriageAttention.EMERGENCY_UNCONFIRMED,
}
DEMO_NOTE = "Demo weekend clinic"


def _email(first: str, last: str) -> str:
    plain = {"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ñ": "n"}
    name = "".join(plain.get(c, c) for c in f"{first}.{last}".lower())
    return f"{name}@example.com"


def _patients(location: Location) -> list[User]:
    found = []
    for first, last, phone in PATIENTS[location.slug]:
        user, created = User.objects.get_or_create(
            email=_email(first, last), defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        PatientProfile.objects.update_or_create(
            user=user, defaults={"phone": phone, "preferred_location": location}
        )
        found.append(user)
    return found


def _working(provider: Provider, location: Location, day) -> bool:
    return WorkingHours.objects.filter(
        provider=provider, location=location, weekday=day.weekday()
    ).exists()


def _status(start: datetime, index: int, now: datetime) -> str:
    if start + timedelta(hours=1) <= now:
        return Status.NO_SHOW if index % 4 == 2 else Status.COMPLETED
    if start <= now or (start - now <= timedelta(minutes=30) and index % 2 == 0):
        return Status.ARRIVED
    return Status.CONFIRMED


def _appointment(*, patients, provider, location, kind, start, index, now) -> bool:
    """Seed one appointment unless the physician already has one overlapping that time; the
    patient is the first of ``patients`` (rotated by ``index``) free at that time."""
    end = start + kind.duration
    blocked_start, blocked_end = start - kind.buffer_before, end + kind.buffer_after
    occupying = Appointment.objects.exclude(status=Status.CANCELLED)
    if occupying.filter(
        provider=provider, blocked_start__lt=blocked_end, blocked_end__gt=blocked_start
    ).exists():
        return False
    order = patients[index % len(patients) :] + patients[: index % len(patients)]
    patient = next(
        (
            p
            for p in order
            if not occupying.filter(patient=p, start__lt=end, end__gt=start).exists()
        ),
        None,
    )
    if patient is None:
        return False
    status = _status(start, index, now)
    appointment = Appointment.objects.create(
        patient=patient,
        provider=provider,
        location=location,
        appointment_type=kind,
        start=start,
        end=end,
        blocked_start=blocked_start,
        blocked_end=blocked_end,
        status=status,
        booked_by=patient,
        triage_attention=TRIAGE_FLAGS.get(index % 9, ""),
        confirmed_at=min(now, start) - timedelta(days=7),
    )
    AppointmentEvent.objects.create(
        appointment=appointment, action=AppointmentEvent.Action.BOOKED, to_status=Status.CONFIRMED
    )
    return True


def seed_board(*, stdout, now: datetime | None = None) -> None:
    now = now or timezone.now()
    kinds = {kind.slug: kind for kind in AppointmentType.objects.all()}
    made = 0
    for location in Location.objects.filter(slug__in=PATIENTS):
        patients = _patients(location)
        today = now.astimezone(location.zone).date()
        for day in (today, today + timedelta(days=1)):
            providers = list(
                Provider.objects.filter(locations=location, is_active=True).order_by("sort_order")
            )
            if day.weekday() >= 5:
                for provider in providers:
                    if provider.locations.order_by("sort_order").first() == location:
                        ScheduleOverride.objects.get_or_create(
                            provider=provider,
                            location=location,
                            date=day,
                            kind=ScheduleOverride.Kind.EXTRA_HOURS,
                            start=WEEKEND_HOURS[0],
                            defaults={"end": WEEKEND_HOURS[1], "note": DEMO_NOTE},
                        )
            for provider_index, provider in enumerate(providers):
                weekend = day.weekday() >= 5
                if (
                    weekend
                    and not ScheduleOverride.objects.filter(
                        provider=provider, location=location, date=day, note=DEMO_NOTE
                    ).exists()
                ):
                    continue
                if not weekend and not _working(provider, location, day):
                    continue
                plan = [p for p in DAY_PLAN if not weekend or p[0] < WEEKEND_HOURS[1]]
                for index, (clock, slug) in enumerate(plan):
                    if (index + provider_index) % 5 == 4:
                        continue  # a free time left on each physician's day
                    start = local_instant(day, clock, location.zone).astimezone(UTC)
                    made += _appointment(
                        patients=patients,
                        provider=provider,
                        location=location,
                        kind=kinds[slug],
                        start=start,
                        index=index + 3 * provider_index,
                        now=now,
                    )
    stdout.write(
        f"Front desk board: {made} demo appointments added today and tomorrow at both locations "
        "(see /admin/scheduling/frontdeskboard/ as staff@example.com)."
    )
