"""Domain errors of booking; the API answers each with its ``code`` and status."""

from django.utils.translation import gettext_lazy as _

from clinic.errors import ClinicError, Conflict


class SlotUnavailable(Conflict):
    code = "slot_unavailable"
    field = "start"
    default_detail = _("This time is not available. Please choose another time.")


class PatientConflict(Conflict):
    code = "patient_conflict"
    field = "start"
    default_detail = _("You already have an appointment that overlaps this time.")


class OutsideCancellationWindow(Conflict):
    code = "outside_cancellation_window"
    default_detail = _(
        "This appointment is too close to change online. Please call the clinic to cancel or "
        "move it."
    )


class AppointmentNotActive(Conflict):
    code = "appointment_not_active"
    default_detail = _("This appointment is no longer active, so it cannot be changed.")


class AppointmentNotStarted(Conflict):
    code = "appointment_not_started"
    default_detail = _("An appointment can be marked completed or no-show once it has started.")


class HoldExpired(Conflict):
    code = "hold_expired"
    default_detail = _(
        "We could not keep this time for you any longer. Please choose a time again."
    )


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    default_detail = _("This Idempotency-Key was already used for a different booking request.")


class InvalidBooking(ClinicError):
    """Input that cannot describe a booking (a physician who is not at the location, ...)."""

    code = "invalid"
    status_code = 400


class AppointmentNotToday(Conflict):
    code = "appointment_not_today"
    default_detail = _("A patient can be checked in only on the day of the appointment.")


class OverrideRequired(Conflict):
    """A staff booking meets a rule that staff must override explicitly, with a reason."""

    code = "override_required"
    field = "overrides"
    default_detail = _("This booking needs an explicit staff override, with a reason.")

    def __init__(self, *, missing: list[str], reason_missing: bool = False) -> None:
        self.missing = list(missing)
        self.reason_missing = reason_missing
        if reason_missing:
            super().__init__(_("Give the reason for the override."))
        else:
            super().__init__()


class WaitlistEntryExists(Conflict):
    code = "waitlist_entry_exists"
    default_detail = _(
        "You are already on the waitlist for this type of appointment at this location."
    )


class WaitlistOfferClosed(Conflict):
    """The offer was claimed, declined, withdrawn or has run out of time."""

    code = "waitlist_offer_closed"
    default_detail = _(
        "This offer is no longer open. You are still on the waitlist, and we will e-mail you "
        "if another time frees up."
    )
