"""Consultation booking: appointment types, physicians' schedules, appointments and their history,
idempotency keys and the notification outbox.

Times of day (schedules, overrides) are wall-clock times in the location's time zone; instants
(appointments, holds, notifications) are stored in UTC. On PostgreSQL two exclusion constraints
(created in migration 0002, see ``scheduling/db.py``) make a double booking impossible.
"""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from clinic.history import HistoryEvent
from clinic.models import Location, OpeningHours, Provider, User
from clinic.outbox import DeliveryRow


class AppointmentType(models.Model):
    """What a patient books: its length, its place on the slot grid and its booking rules."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_es = models.CharField(_("name in Spanish"), max_length=120, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    slot_interval_minutes = models.PositiveSmallIntegerField(
        _("slot interval (minutes)"),
        help_text=_("Offered start times are this far apart, from the start of working hours."),
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        _("buffer before (minutes)"), default=0
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(_("buffer after (minutes)"), default=0)
    minimum_notice_minutes = models.PositiveIntegerField(
        _("minimum notice (minutes)"),
        default=120,
        help_text=_("Patients cannot book a start sooner than this from now."),
    )
    booking_window_days = models.PositiveSmallIntegerField(_("bookable ahead (days)"), default=180)
    cutoff_hours = models.PositiveSmallIntegerField(
        _("cancellation and reschedule cutoff (hours)"),
        default=24,
        help_text=_("Patients cannot cancel or move the appointment later than this before it."),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder (hours before)"),
        default=24,
        help_text=_("0 sends no reminder."),
    )
    providers = models.ManyToManyField(
        Provider,
        through="ProviderAppointmentType",
        related_name="appointment_types",
        blank=True,
        verbose_name=_("physicians offering it"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("appointment type")
        verbose_name_plural = _("appointment types")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="appointment_type_positive_duration"
            ),
            models.CheckConstraint(
                condition=Q(slot_interval_minutes__gt=0),
                name="appointment_type_positive_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (Spanish when it is filled in)."""
        if self.name_es and (translation.get_language() or "").startswith("es"):
            return self.name_es
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    @property
    def cutoff(self) -> timedelta:
        return timedelta(hours=self.cutoff_hours)

    @property
    def minimum_notice(self) -> timedelta:
        return timedelta(minutes=self.minimum_notice_minutes)

    def change_deadline(self, start: datetime) -> datetime:
        """The last moment a patient may cancel or move online an appointment of this type
        starting at ``start``."""
        return start - self.cutoff

    def short_notice(self, *, start: datetime, now: datetime) -> bool:
        """Too close for a patient to book online (minimum notice) or to change it afterwards
        (cutoff): only staff may book it, overriding."""
        return now > self.change_deadline(start) or start - now < self.minimum_notice


class ProviderAppointmentType(models.Model):
    """A physician offers an appointment type (at every location where they work)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("type")
    )

    class Meta:
        verbose_name = _("offered appointment type")
        verbose_name_plural = _("offered appointment types")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "appointment_type"], name="provider_type_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.appointment_type}"


def _check_times(instance, start_field: str = "start", end_field: str = "end") -> None:
    start, end = getattr(instance, start_field), getattr(instance, end_field)
    if start is not None and end is not None and start >= end:
        raise ValidationError({end_field: _("The end must be after the start.")})


def _check_location(instance) -> None:
    """A schedule only makes sense at a location where the physician practises."""
    if (
        instance.provider_id
        and instance.location_id
        and not instance.provider.locations.filter(pk=instance.location_id).exists()
    ):
        raise ValidationError({"location": _("This physician does not practise at this location.")})


class WorkingHours(models.Model):
    """A weekly working interval of a physician at a location, in the location's local time."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="working_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=OpeningHours.Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("weekly working hours")
        verbose_name_plural = _("weekly working hours")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="working_hours_order"),
            models.UniqueConstraint(
                fields=["provider", "location", "weekday", "start"],
                name="working_hours_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    def clean(self) -> None:
        _check_times(self)
        _check_location(self)


class ScheduleOverride(models.Model):
    """A change to the weekly schedule on one date: time off (whole or part day) or extra hours.

    Time off without a location applies at every location (a holiday); extra hours need one.
    Time off wins over working hours and extra hours on the same date.
    """

    class Kind(models.TextChoices):
        TIME_OFF = "time_off", _("Time off")
        EXTRA_HOURS = "extra_hours", _("Extra hours")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="overrides")
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty for time off at every location."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    start = models.TimeField(_("from"), null=True, blank=True, help_text=_("Empty: all day."))
    end = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("staff note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start"]
        verbose_name = _("schedule override")
        verbose_name_plural = _("schedule overrides")
        indexes = [models.Index(fields=["provider", "date"], name="override_provider_date")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True))
                | (Q(start__isnull=False) & Q(end__isnull=False) & Q(start__lt=F("end"))),
                name="override_times_both_or_none",
            ),
            models.CheckConstraint(
                condition=Q(kind="time_off") | (Q(location__isnull=False) & Q(start__isnull=False)),
                name="override_extra_hours_need_place_and_time",
            ),
        ]

    def __str__(self) -> str:
        span = f"{self.start:%H:%M}-{self.end:%H:%M}" if self.start else _("all day")
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d} {span}"

    @property
    def all_day(self) -> bool:
        return self.start is None

    def clean(self) -> None:
        if (self.start is None) != (self.end is None):
            raise ValidationError({"end": _("Give both times, or neither for the whole day.")})
        _check_times(self)
        if self.kind == self.Kind.EXTRA_HOURS:
            if self.location_id is None:
                raise ValidationError({"location": _("Extra hours need a location.")})
            if self.start is None:
                raise ValidationError({"start": _("Extra hours need a start and an end.")})
        _check_location(self)


class AppointmentQuerySet(models.QuerySet):
    def blocking(self, *, now):
        """Rows that occupy their time: confirmed (or the patient has arrived), requests awaiting
        staff confirmation, and holds that have not expired."""
        return self.filter(
            Q(status__in=Appointment.BOOKED_STATUSES)
            | Q(status=Appointment.Status.HELD, hold_expires_at__gt=now)
        )

    def expired_holds(self, *, now):
        return self.filter(status=Appointment.Status.HELD, hold_expires_at__lte=now)

    def visible_to_patient(self, *, now):
        """What a patient sees as theirs: all but lapsed holds and holds given up unconfirmed."""
        return self.exclude(status=Appointment.Status.HELD, hold_expires_at__lte=now).exclude(
            status=Appointment.Status.CANCELLED, confirmed_at__isnull=True
        )


class TriageAttention(models.TextChoices):
    """Why staff should look at a booking made after a recent emergency symptom check."""

    NONE = "", _("No")
    EMERGENCY_SEEN = "emergency_seen", _("Emergency result; patient says they have been seen")
    EMERGENCY_NOT = (
        "emergency_not_emergency",
        _("Emergency result; patient says it is not an emergency"),
    )
    EMERGENCY_UNCONFIRMED = (
        "emergency_unconfirmed",
        _("Emergency result; booked without the patient's confirmation (API or staff)"),
    )


class Appointment(models.Model):
    """A booked (or held) consultation. ``start``/``end`` are UTC; ``blocked_start``/``blocked_end``
    widen them by the type's buffers and are what the provider exclusion constraint compares."""

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("No-show")
        ARRIVED = "arrived", _("Arrived")
        REQUESTED = "requested", _("Awaiting the clinic's confirmation")

    class BookedVia(models.TextChoices):
        PATIENT = "patient", _("Patient")
        STAFF = "staff", _("Staff")

    ACTIVE_STATUSES = (Status.HELD, Status.CONFIRMED, Status.REQUESTED)
    # Booked (not a hold): these occupy their time until their status changes. The exclusion
    # constraints of ``scheduling/db.py`` cover them and holds.
    BOOKED_STATUSES = (Status.CONFIRMED, Status.ARRIVED, Status.REQUESTED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="appointments")
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("physician")
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(
        AppointmentType,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("type"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    blocked_start = models.DateTimeField(editable=False)
    blocked_end = models.DateTimeField(editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    hold_expires_at = models.DateTimeField(_("hold expires at"), null=True, blank=True)
    booked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("booked by")
    )
    assessment = models.ForeignKey(
        "triage.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("symptom check"),
        help_text=_("The patient's latest symptom check when the appointment was made."),
    )
    triage_attention = models.CharField(
        _("needs staff attention"),
        max_length=32,
        choices=TriageAttention.choices,
        blank=True,
        default="",
        help_text=_("Set when the patient's symptom check of the last 72 hours was an emergency."),
    )
    booked_via = models.CharField(
        _("booked via"), max_length=8, choices=BookedVia.choices, default=BookedVia.PATIENT
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text=_("Calendar revision: goes up on every reschedule or cancellation.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(fields=["provider", "blocked_start"], name="appointment_provider_time"),
            models.Index(fields=["patient", "start"], name="appointment_patient_time"),
            models.Index(fields=["location", "start"], name="appointment_location_time"),
            models.Index(
                fields=["hold_expires_at"],
                condition=Q(status="held"),
                name="appointment_hold_expiry",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="appointment_order"),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=F("start")) & Q(blocked_end__gte=F("end")),
                name="appointment_blocked_covers_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_expires_at__isnull=False),
                name="appointment_hold_has_expiry",
            ),
            # The no-double-booking exclusion constraints are PostgreSQL-only and live in
            # migration 0002 (scheduling.db.EXCLUSION_CONSTRAINTS).
        ]

    def __str__(self) -> str:
        return f"Appointment {self.pk} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def change_deadline(self):
        """The last moment the patient may cancel or move it."""
        return self.appointment_type.change_deadline(self.start)

    def inside_cutoff(self, *, now) -> bool:
        """Too close to the start for the patient to cancel or move it online (the rule the
        services enforce)."""
        return now > self.change_deadline

    def moved_from(self, start: datetime) -> bool:
        """No longer a booking at ``start`` (moved, cancelled, seen): a reminder or notice
        written for that time is out of date."""
        return self.status != self.Status.CONFIRMED or self.start != start

    def can_change(self, *, now) -> bool:
        """Whether the patient may still cancel or move it online: a booking, before its
        change deadline."""
        return self.status == self.Status.CONFIRMED and not self.inside_cutoff(now=now)


class AppointmentEvent(HistoryEvent):
    """One change in an appointment's life: who, when, what, from what to what."""

    class Action(models.TextChoices):
        HELD = "held", _("Held")
        BOOKED = "booked", _("Booked")
        CONFIRMED = "confirmed", _("Confirmed")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Marked completed")
        NO_SHOW = "no_show", _("Marked no-show")
        CHECKED_IN = "checked_in", _("Checked in (arrived)")
        REQUESTED = "requested", _("Requested (awaits staff confirmation)")
        DECLINED = "declined", _("Request declined")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=Appointment.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=Appointment.Status.choices)
    from_start = models.DateTimeField(null=True, blank=True)
    to_start = models.DateTimeField(null=True, blank=True)
    from_provider = models.ForeignKey(
        Provider, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_provider = models.ForeignKey(
        Provider, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cutoff_overridden = models.BooleanField(
        _("cutoff overridden"),
        default=False,
        help_text=_("Staff changed it inside the cancellation and reschedule cutoff."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    overrides = models.JSONField(
        _("staff overrides"),
        default=list,
        blank=True,
        help_text=_("Rules staff overrode for this change (their reason is the note)."),
    )

    class Meta(HistoryEvent.Meta):
        verbose_name = _("appointment history entry")
        verbose_name_plural = _("appointment history")

    def __str__(self) -> str:
        from clinic.admin_display import staff_time

        return f"{self.get_action_display()} · {staff_time(self.at, self.appointment.location)}"


class IdempotencyKey(models.Model):
    """A patient's ``Idempotency-Key``: a repeated request returns the appointment it made."""

    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="Hash of the request it answered.")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["patient", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"Idempotency key {self.pk}"


class Notification(DeliveryRow):
    """Outbox row (``clinic.outbox``): an e-mail to the patient about an appointment (or a
    waitlist offer of a time), sent by a Celery task.

    The row records what the message is about at the time of the event (start, physician,
    location, calendar sequence), so a late delivery still describes that event.
    """

    class Kind(models.TextChoices):
        BOOKED = "booked", _("Booking confirmation")
        RESCHEDULED = "rescheduled", _("Reschedule notice")
        CANCELLED = "cancelled", _("Cancellation notice")
        REMINDER = "reminder", _("Reminder")
        REQUESTED = "requested", _("Booking request received")
        DECLINED = "declined", _("Booking request declined")
        WAITLIST_OFFER = "waitlist_offer", _("Waitlist offer")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    offer = models.ForeignKey(
        "scheduling.WaitlistOffer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("waitlist offer"),
        help_text=_("Set for a waitlist offer (which has no appointment yet)."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("appointment start"))
    ends_at = models.DateTimeField(_("appointment end"))
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notification_due",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(appointment__isnull=False) | Q(offer__isnull=False),
                name="notification_about_something",
            )
        ]

    def __str__(self) -> str:
        if self.appointment_id is None:
            return f"{self.get_kind_display()} for waitlist offer {self.offer_id}"
        return f"{self.get_kind_display()} for appointment {self.appointment_id}"

    @property
    def patient(self) -> User:
        """Who the e-mail goes to: the appointment's patient, or the offer's."""
        if self.appointment_id is None:
            return self.offer.entry.patient
        return self.appointment.patient


class FrontDeskBoard(Appointment):
    """The admin's way into the front desk's day board (all physicians of a location)."""

    class Meta:
        proxy = True
        verbose_name = _("front desk day board")
        verbose_name_plural = _("front desk day board")


class NoShowReport(Appointment):
    """The admin's way into the counts of no-shows and cancellations."""

    class Meta:
        proxy = True
        verbose_name = _("no-show and cancellation count")
        verbose_name_plural = _("no-shows and cancellations")


class PhysicianSchedule(Provider):
    """The admin's way into a physician's weekly hours, overrides and offered types."""

    class Meta:
        proxy = True
        verbose_name = _("physician schedule")
        verbose_name_plural = _("physician schedules")


# The waitlist's models belong to this app; their module is imported here so Django sees them.
from scheduling.waitlist.models import WaitlistEntry, WaitlistOffer  # noqa: E402

__all__ = [
    "Appointment",
    "AppointmentEvent",
    "AppointmentType",
    "IdempotencyKey",
    "Notification",
    "PhysicianSchedule",
    "ProviderAppointmentType",
    "ScheduleOverride",
    "TriageAttention",
    "WaitlistEntry",
    "WaitlistOffer",
    "WorkingHours",
]
