"""Reads of the front desk: the no-show policy, the day board of a location, finding a patient,
and the counts of no-shows and cancellations."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic.models import Location, Provider, User
from scheduling import slots
from scheduling.models import Appointment, ScheduleOverride, WorkingHours

Status = Appointment.Status

SEARCH_LIMIT = 20
_DIGITS = re.compile(r"\D")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%d.%m.%Y")


# --- the no-show policy ------------------------------------------------------------------------


def no_show_count(*, patient: User, now: datetime | None = None) -> int:
    """The patient's no-shows whose start lies inside the policy window before ``now``."""
    now = now or timezone.now()
    window = timedelta(days=settings.NO_SHOW_WINDOW_DAYS)
    return Appointment.objects.filter(
        patient=patient, status=Status.NO_SHOW, start__gt=now - window, start__lte=now
    ).count()


def no_show_policy_applies(*, patient: User, now: datetime | None = None) -> bool:
    """Whether the patient's online bookings are requests that staff must confirm
    (``NO_SHOW_CONFIRM_AFTER`` no-shows or more within ``NO_SHOW_WINDOW_DAYS``; 0 turns the
    policy off)."""
    threshold = settings.NO_SHOW_CONFIRM_AFTER
    return threshold > 0 and no_show_count(patient=patient, now=now) >= threshold


# --- the day board -----------------------------------------------------------------------------


@dataclass
class BoardColumn:
    provider: Provider
    appointments: list[Appointment] = field(default_factory=list)
    working: list[slots.Interval] = field(default_factory=list)  # UTC, at this location
    time_off: list[slots.Interval] = field(default_factory=list)


def _hours_of_the_day(columns: dict[int, BoardColumn], *, location: Location, day: date) -> None:
    """Each physician's working time and time off at ``location`` on ``day`` (two queries)."""
    weekly: dict[int, list[slots.WeeklyHours]] = {}
    for hours in WorkingHours.objects.filter(location=location, provider__in=list(columns)):
        weekly.setdefault(hours.provider_id, []).append(
            slots.WeeklyHours(hours.weekday, hours.start, hours.end)
        )
    overrides: dict[int, list[slots.DateOverride]] = {}
    for override in ScheduleOverride.objects.filter(
        Q(location=location) | Q(location__isnull=True), provider__in=list(columns), date=day
    ):
        overrides.setdefault(override.provider_id, []).append(
            slots.DateOverride(
                override.date,
                override.kind == ScheduleOverride.Kind.EXTRA_HOURS,
                override.start,
                override.end,
            )
        )
    for provider_id, column in columns.items():
        column.working, column.time_off = slots.working_intervals(
            zone=location.zone,
            first=day,
            last=day,
            weekly=weekly.get(provider_id, ()),
            overrides=overrides.get(provider_id, ()),
        )


@dataclass(frozen=True)
class Board:
    location: Location
    day: date
    columns: list[BoardColumn]
    requests: list[Appointment]


def board_for(*, location: Location, day: date, access: AccessContext | None = None) -> Board:
    """Every active physician of ``location`` side by side with their appointments there on the
    local ``day`` (booked, arrived, done, no-show; not holds or cancellations), and the booking
    requests of any day that wait for staff. Two queries for the appointments; one ``list``
    access recorded with the patients shown."""
    low, high = slots.local_day_bounds(day, location.zone)
    providers = Provider.objects.filter(locations=location, is_active=True).order_by(
        "sort_order", "name"
    )
    columns = {provider.pk: BoardColumn(provider) for provider in providers}
    _hours_of_the_day(columns, location=location, day=day)
    shown = [Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW, Status.REQUESTED]
    appointments = (
        Appointment.objects.filter(
            location=location, start__gte=low, start__lt=high, status__in=shown
        )
        .select_related("patient__patient_profile", "appointment_type", "provider", "location")
        .order_by("start", "pk")
    )
    for appointment in appointments:
        column = columns.get(appointment.provider_id)
        if column is None:  # a physician no longer active here who still has the day's visits
            column = columns[appointment.provider_id] = BoardColumn(appointment.provider)
        column.appointments.append(appointment)
    requests = list(
        Appointment.objects.filter(
            location=location, status=Status.REQUESTED, start__gte=timezone.now()
        )
        .select_related("patient__patient_profile", "appointment_type", "provider", "location")
        .order_by("start", "pk")
    )
    patients = {a.patient_id for c in columns.values() for a in c.appointments}
    patients |= {a.patient_id for a in requests}
    phi_access_record(
        access=access,
        action=Action.LIST,
        model=Appointment,
        patient_id=next(iter(patients)) if len(patients) == 1 else None,
        patient_ids=patients if len(patients) > 1 else (),
        detail=f"day board: {location.slug} on {day.isoformat()}",
    )
    return Board(location=location, day=day, columns=list(columns.values()), requests=requests)


def board_appointment(*, locations: QuerySet[Location], appointment_id: int) -> Appointment:
    """An appointment at one of ``locations`` (the staff member's), else ``DoesNotExist``."""
    return Appointment.objects.select_related("location", "patient").get(
        pk=appointment_id, location__in=locations
    )


# --- finding a patient -------------------------------------------------------------------------


def _as_date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def patient_search(
    *, query: str, access: AccessContext | None = None, limit: int = SEARCH_LIMIT
) -> list[User]:
    """Active patients (not staff) matching ``query``: a date of birth (2026-01-31 or
    01/31/2026), a phone number in any spelling (its digits; the profile keeps E.164), an
    e-mail address or part of one, or names (every word must match a first or last name).
    The fields are stored in clear and indexed by the database, so no decryption is involved.
    One ``list`` access is recorded with the patients found."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    patients = User.objects.filter(is_active=True, is_staff=False).select_related("patient_profile")
    born = _as_date(query)
    digits = _DIGITS.sub("", query)
    if born is not None:
        patients = patients.filter(patient_profile__date_of_birth=born)
    elif "@" in query:
        patients = patients.filter(email__icontains=query)
    elif len(digits) >= 4 and len(digits) >= len(query.replace(" ", "")) - 4:
        if len(digits) == 10 and settings.PHONE_DEFAULT_REGION == "US":
            digits = "1" + digits
        patients = patients.filter(patient_profile__phone__contains=digits)
    else:
        for word in query.split(" "):
            patients = patients.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__istartswith=word)
            )
    found = list(patients.order_by("last_name", "first_name", "email")[:limit])
    if found:
        ids = {patient.pk for patient in found}
        phi_access_record(
            access=access,
            action=Action.LIST,
            model=User,
            patient_id=found[0].pk if len(found) == 1 else None,
            patient_ids=ids if len(ids) > 1 else (),
            detail="front desk patient search",
        )
    return found


# --- no-shows and cancellations ----------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeCount:
    month: date
    location: str
    physician: str
    no_shows: int
    cancellations: int
    seen: int


@dataclass(frozen=True)
class PatientOutcomeCount:
    patient: User
    no_shows: int
    cancellations: int


def _outcomes(queryset: QuerySet[Appointment]) -> dict:
    return {
        "no_shows": Count("pk", filter=Q(status=Status.NO_SHOW)),
        # A cancelled booking (not a hold given up, nor a request staff declined).
        "cancellations": Count("pk", filter=Q(status=Status.CANCELLED, confirmed_at__isnull=False)),
        "seen": Count("pk", filter=Q(status__in=[Status.COMPLETED, Status.ARRIVED])),
    }


def _month_bounds(month: date, location: Location) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (
        slots.local_day_bounds(first, location.zone)[0],
        slots.local_day_bounds(following, location.zone)[0],
    )


def outcome_counts(
    *,
    locations: QuerySet[Location],
    location: Location | None = None,
    provider: Provider | None = None,
    patient: User | None = None,
    month: date | None = None,
    access: AccessContext | None = None,
) -> tuple[list[OutcomeCount], list[PatientOutcomeCount]]:
    """No-shows, cancellations and visits per month (of the location's own calendar),
    location and physician, newest month first; and per patient, most no-shows first (patients
    with at least one no-show or cancellation). Limited to ``locations`` (the staff member's)
    and to the optional filters."""
    rows: list[OutcomeCount] = []
    chosen = locations.filter(pk=location.pk) if location else locations
    base = Appointment.objects.all()
    if provider is not None:
        base = base.filter(provider=provider)
    if patient is not None:
        base = base.filter(patient=patient)
    in_month = Q()
    for place in chosen.order_by("sort_order", "name"):
        counted = base.filter(location=place)
        if month is not None:
            low, high = _month_bounds(month, place)
            counted = counted.filter(start__gte=low, start__lt=high)
            in_month |= Q(location=place, start__gte=low, start__lt=high)
        grouped = (
            counted.annotate(month=TruncMonth("start", tzinfo=place.zone))
            .values("month", "provider__name")
            .annotate(**_outcomes(counted))
            .filter(Q(no_shows__gt=0) | Q(cancellations__gt=0) | Q(seen__gt=0))
        )
        rows.extend(
            OutcomeCount(
                month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
                location=place.name,
                physician=row["provider__name"],
                no_shows=row["no_shows"],
                cancellations=row["cancellations"],
                seen=row["seen"],
            )
            for row in grouped
        )
    rows.sort(key=lambda row: (-row.month.toordinal(), row.location, row.physician))

    per_patient = base.filter(location__in=chosen)
    if month is not None:
        per_patient = per_patient.filter(in_month) if in_month else per_patient.none()
    grouped = (
        per_patient.values("patient")
        .annotate(**_outcomes(per_patient))
        .filter(Q(no_shows__gt=0) | Q(cancellations__gt=0))
        .order_by("-no_shows", "-cancellations", "patient")
    )
    grouped = list(grouped)
    people = User.objects.in_bulk([row["patient"] for row in grouped])
    if people:
        phi_access_record(
            access=access,
            action=Action.LIST,
            model=Appointment,
            patient_id=next(iter(people)) if len(people) == 1 else None,
            patient_ids=set(people) if len(people) > 1 else (),
            detail="no-show and cancellation counts",
        )
    patients = [
        PatientOutcomeCount(
            patient=people[row["patient"]],
            no_shows=row["no_shows"],
            cancellations=row["cancellations"],
        )
        for row in grouped
    ]
    return rows, patients
