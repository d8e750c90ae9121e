"""Waitlist entries and the offers of freed times made to them (models of the ``scheduling``
app, imported by ``scheduling.models``)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clinic.models import Location, Provider, User


class WaitlistEntry(models.Model):
    """A patient waiting for a time at a location, of a type, on local dates ``first``..``last``
    (with one physician, or any)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        BOOKED = "booked", _("Booked from an offer")
        LEFT = "left", _("Left the waitlist")

    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="waitlist_entries")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    appointment_type = models.ForeignKey(
        "scheduling.AppointmentType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("type"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("physician"),
        help_text=_("Empty: any physician."),
    )
    first = models.DateField(_("from"))
    last = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist")
        indexes = [
            models.Index(
                fields=["location", "last"],
                condition=Q(status="waiting"),
                name="waitlist_waiting",
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(first__lte=F("last")), name="waitlist_dates_order"),
            models.UniqueConstraint(
                fields=["patient", "location", "appointment_type"],
                condition=Q(status="waiting"),
                name="waitlist_one_waiting_per_type_and_place",
            ),
        ]

    def __str__(self) -> str:
        return f"Waitlist entry {self.pk} ({self.get_status_display()})"

    def clean(self) -> None:
        if self.first and self.last and self.first > self.last:
            raise ValidationError({"last": _("The last day must be on or after the first.")})

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


class WaitlistOffer(models.Model):
    """A freed time offered to one entry until ``expires_at``. At most one open offer per time
    of a physician (a partial unique index), and per entry."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        CLAIMED = "claimed", _("Claimed")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded (taken meanwhile or withdrawn)")

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", verbose_name=_("physician")
    )
    start = models.DateTimeField(_("start"))
    expires_at = models.DateTimeField(_("offer expires at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The booking the claim made."),
    )
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("waitlist offer")
        verbose_name_plural = _("waitlist offers")
        indexes = [
            models.Index(
                fields=["expires_at"], condition=Q(status="offered"), name="waitlist_offer_due"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "start"],
                condition=Q(status="offered"),
                name="waitlist_one_open_offer_per_time",
            ),
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status="offered"),
                name="waitlist_one_open_offer_per_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"Waitlist offer {self.pk} ({self.get_status_display()})"

    def is_open(self, *, now) -> bool:
        """Still claimable: offered and not yet run out of time."""
        return self.status == self.Status.OFFERED and self.expires_at > now
