"""Demo data of booking (a contract): three appointment types, and every demo physician's weekly
hours, Monday to Friday 09:00-12:00 and 13:00-17:00 local time at their location. The physician
at both locations works Monday, Wednesday and Friday in Lawrenceville, Tuesday and Thursday in
Houston. Every physician offers every type."""

from datetime import time

from django.contrib.auth.models import Group, Permission

from clinic.demo import PROVIDERS, STAFF_GROUP
from clinic.models import Location, Provider
from scheduling.demo_board import seed_board
from scheduling.models import AppointmentType, ProviderAppointmentType, WorkingHours

TYPES = [
    {
        "slug": "new-consultation",
        "name": "New consultation",
        "name_es": "Primera consulta",
        "duration_minutes": 30,
        "slot_interval_minutes": 30,
        "buffer_after_minutes": 0,
        "sort_order": 1,
    },
    {
        "slug": "follow-up",
        "name": "Follow-up visit",
        "name_es": "Consulta de seguimiento",
        "duration_minutes": 15,
        "slot_interval_minutes": 15,
        "buffer_after_minutes": 0,
        "sort_order": 2,
    },
    {
        "slug": "discseel-candidacy",
        "name": "Discseel candidacy evaluation",
        "name_es": "Evaluación de candidatura para Discseel",
        "duration_minutes": 60,
        "slot_interval_minutes": 30,
        "buffer_after_minutes": 15,
        "sort_order": 3,
    },
]
COMMON_RULES = {
    "buffer_before_minutes": 0,
    "minimum_notice_minutes": 120,
    "booking_window_days": 180,
    "cutoff_hours": 24,
    "reminder_hours": 24,
    "is_active": True,
}
DAY_INTERVALS = [(time(9), time(12)), (time(13), time(17))]
WEEKDAYS = range(5)
# The physician at both locations: weekdays per location.
SPLIT_WEEK = {"lawrenceville-nj": (0, 2, 4), "houston-tx": (1, 3)}

STAFF_PERMISSIONS = [
    ("scheduling", codename)
    for codename in (
        "view_appointment",
        "add_appointment",
        "change_appointment",
        "view_appointmentevent",
        "view_appointmenttype",
        "view_physicianschedule",
        "change_physicianschedule",
        "view_workinghours",
        "add_workinghours",
        "change_workinghours",
        "delete_workinghours",
        "view_scheduleoverride",
        "add_scheduleoverride",
        "change_scheduleoverride",
        "delete_scheduleoverride",
        "view_providerappointmenttype",
        "add_providerappointmenttype",
        "delete_providerappointmenttype",
        "view_notification",
        "view_waitlistentry",
        "view_waitlistoffer",
    )
]


def seed(*, stdout) -> None:
    kinds = [
        AppointmentType.objects.update_or_create(
            slug=spec["slug"],
            defaults={**COMMON_RULES, **{k: v for k, v in spec.items() if k != "slug"}},
        )[0]
        for spec in TYPES
    ]
    locations = {location.slug: location for location in Location.objects.all()}
    for spec in PROVIDERS:
        provider = Provider.objects.get(slug=spec["slug"])
        if len(spec["locations"]) > 1:
            week = {slug: SPLIT_WEEK[slug] for slug in spec["locations"]}
        else:
            week = {spec["locations"][0]: WEEKDAYS}
        wanted = set()
        for slug, weekdays in week.items():
            for weekday in weekdays:
                for start, end in DAY_INTERVALS:
                    hours, _ = WorkingHours.objects.update_or_create(
                        provider=provider,
                        location=locations[slug],
                        weekday=weekday,
                        start=start,
                        defaults={"end": end},
                    )
                    wanted.add(hours.pk)
        WorkingHours.objects.filter(provider=provider).exclude(pk__in=wanted).delete()
        for kind in kinds:
            ProviderAppointmentType.objects.get_or_create(provider=provider, appointment_type=kind)

    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="scheduling",
            codename__in=[codename for _app, codename in STAFF_PERMISSIONS],
        )
    )
    stdout.write(
        f"Booking: {len(kinds)} appointment types; weekly hours for {len(PROVIDERS)} physicians."
    )
    seed_board(stdout=stdout)
