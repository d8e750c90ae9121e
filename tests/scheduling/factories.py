"""Factories of booking: appointment types (the demo contract's by default) and schedules."""

from datetime import time

import factory

from scheduling.demo import COMMON_RULES, TYPES
from scheduling.models import AppointmentType, ProviderAppointmentType, WorkingHours
from tests.factories import LocationFactory, ProviderFactory

DEMO_TYPES = {spec["slug"]: spec for spec in TYPES}


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Type {n}")
    duration_minutes = 30
    slot_interval_minutes = 30
    buffer_before_minutes = 0
    buffer_after_minutes = 0
    minimum_notice_minutes = COMMON_RULES["minimum_notice_minutes"]
    booking_window_days = COMMON_RULES["booking_window_days"]
    cutoff_hours = COMMON_RULES["cutoff_hours"]
    reminder_hours = COMMON_RULES["reminder_hours"]


def demo_type(slug: str) -> AppointmentType:
    spec = {k: v for k, v in DEMO_TYPES[slug].items() if k != "slug"}
    return AppointmentTypeFactory(slug=slug, **{**COMMON_RULES, **spec})


def working_physician(
    *,
    location=None,
    kinds=(),
    weekdays=range(5),
    intervals=((time(9), time(12)), (time(13), time(17))),
    **provider_fields,
):
    """A physician at ``location`` working the demo week there and offering ``kinds``."""
    location = location or LocationFactory()
    provider = ProviderFactory(locations=[location], **provider_fields)
    for weekday in weekdays:
        for start, end in intervals:
            WorkingHours.objects.create(
                provider=provider, location=location, weekday=weekday, start=start, end=end
            )
    for kind in kinds:
        ProviderAppointmentType.objects.get_or_create(provider=provider, appointment_type=kind)
    return provider
