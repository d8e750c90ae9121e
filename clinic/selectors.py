"""Reads of the accounts and locations domain."""

from dataclasses import dataclass
from datetime import time

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic.models import Location, OpeningHours, PatientProfile, Provider, User


def _record_profile_read(user: User, access: AccessContext | None) -> None:
    """A patient's profile is recorded as their ``clinic.user`` record (the admin's page)."""
    phi_access_record(access=access, action=Action.VIEW, obj=user, patient_id=user.pk)


def patient_profile_for(
    *, user: User, access: AccessContext | None = None
) -> PatientProfile | None:
    """The user's profile (``None`` for anonymous visitors and users without one). With
    ``access``, the read is recorded."""
    if not user.is_authenticated:
        return None
    profile = PatientProfile.objects.select_related("preferred_location").filter(user=user).first()
    _record_profile_read(user, access)
    return profile


def patient_account_for(*, user: User, access: AccessContext | None = None) -> User:
    """The user with their profile and preferred location loaded (one query), the read
    recorded."""
    account = User.objects.select_related("patient_profile__preferred_location").get(pk=user.pk)
    _record_profile_read(account, access)
    return account


def location_list(*, active_only: bool = True) -> QuerySet[Location]:
    locations = Location.objects.all()
    if active_only:
        locations = locations.filter(is_active=True)
    return locations.prefetch_related(
        "opening_hours",
        "services",
        Prefetch("providers", queryset=Provider.objects.filter(is_active=True)),
    )


def location_get(*, slug: str, active_only: bool = True) -> Location:
    """The location with that slug; ``Http404`` when there is none (or it is inactive)."""
    return get_object_or_404(location_list(active_only=active_only), slug=slug)


def location_default() -> Location | None:
    """Where patients without a preference are routed: the configured one, else the first."""
    active = Location.objects.filter(is_active=True)
    return (
        active.filter(slug=settings.CLINIC_DEFAULT_LOCATION).first()
        or active.order_by("sort_order", "name").first()
    )


def location_for_patient(*, user: User) -> Location | None:
    """Where a patient's times are shown and bookings start: their preferred location, else
    the default one (also for anonymous visitors)."""
    profile = patient_profile_for(user=user)
    return (profile.preferred_location if profile else None) or location_default()


@dataclass(frozen=True)
class DayHours:
    weekday: int
    label: str
    intervals: list[tuple[time, time]]


def location_weekly_hours(*, location: Location) -> list[DayHours]:
    """Monday to Sunday, each with its opening intervals in local time (empty when closed).

    Uses the prefetched ``opening_hours`` when the location came from ``location_list``.
    """
    by_day: dict[int, list[tuple[time, time]]] = {day: [] for day in OpeningHours.Weekday.values}
    for interval in location.opening_hours.all():
        by_day[interval.weekday].append((interval.opens, interval.closes))
    return [
        DayHours(day, str(OpeningHours.Weekday(day).label), sorted(by_day[day]))
        for day in OpeningHours.Weekday.values
    ]


def provider_list(*, location: Location | None = None) -> QuerySet[Provider]:
    """Active physicians, each with their active locations prefetched."""
    providers = Provider.objects.filter(is_active=True).prefetch_related(
        Prefetch("locations", queryset=Location.objects.filter(is_active=True))
    )
    if location is not None:
        providers = providers.filter(locations=location)
    return providers


def provider_get(*, slug: str) -> Provider:
    """The active physician with that slug; ``Http404`` when there is none."""
    return get_object_or_404(provider_list(), slug=slug)


def mfa_has_device(*, user: User) -> bool:
    """Whether the user has a confirmed authenticator app (recovery codes alone do not count)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_recovery_codes_left(*, user: User) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
