"""The people and records the journeys start from, made with the suite's factories in the live
database (the servers see them at once: no transaction wraps the suite's process).

The servers check passwords with Argon2 (production settings); the suite's own settings hash
with MD5 for speed, so every password made here names its hasher.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import Location, User
from tests.factories import PatientFactory, StaffFactory
from triage.selectors import ALERT_RESPONDERS_GROUP

PASSWORD = "journey-passphrase-2026"
DEMO_LOCATION = "lawrenceville-nj"


def password_hash(password: str = PASSWORD) -> str:
    return make_password(password, hasher=Argon2PasswordHasher())


def unique_email(who: str) -> str:
    return f"{who}-{secrets.token_hex(4)}@example.org"


def location(slug: str = DEMO_LOCATION) -> Location:
    return Location.objects.get(slug=slug)


def patient(*, language: str = "en", first_name: str = "Robin", last_name: str = "") -> User:
    """A patient of the Lawrenceville office with a phone number, in ``language``."""
    return PatientFactory(
        email=unique_email("patient"),
        first_name=first_name,
        last_name=last_name or f"Tester{secrets.token_hex(3)}",
        password=password_hash(),
        profile__preferred_language=language,
        profile__preferred_location=location(),
        profile__phone="(609) 555-0123",
    )


def alert_responder() -> User:
    """A staff member in the alert responders' group serving every office, with their own
    authenticator (a code is accepted once: each journey signs in with its own device)."""
    staff = StaffFactory(
        email=unique_email("responder"), first_name="Alex", password=password_hash()
    )
    staff.groups.add(Group.objects.get(name=ALERT_RESPONDERS_GROUP))
    staff.served_locations.set(Location.objects.all())
    TOTPDevice.objects.create(user=staff, name="Phone", confirmed=True)
    return staff


def totp_code(user: User) -> str:
    """The code the person's authenticator app shows now, from the device's key."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@dataclass(frozen=True)
class Days:
    """Weekdays to book on, relative to today at the office: every demo physician works every
    weekday at their office, so a weekday far enough ahead has free times whenever this runs."""

    office: Location

    def weekday(self, after: int) -> date:
        day = timezone.now().astimezone(self.office.zone).date() + timedelta(days=after)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day
