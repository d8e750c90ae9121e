"""Forms of the booking pages. They validate input; the services decide what may be booked."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.forms import DateInput
from clinic.models import Location, Provider, User
from clinic.validators import validate_schedulable
from scheduling.models import Appointment, AppointmentType, TriageAttention


def physicians_by_location(locations) -> dict[str, list[tuple[str, str]]]:
    """``{location slug: [(physician slug, name), ...]}`` of the active physicians practising at
    each location (uses the ``providers`` that ``location_list`` prefetches)."""
    return {
        location.slug: [(p.slug, p.name) for p in location.providers.all() if p.is_active]
        for location in locations
    }


class SlotSearchForm(forms.Form):
    """Step one: where, what, with whom and from which day.

    The physician list is the chosen location's (each physician once). A physician who does not
    practise at the chosen location (the location was changed after choosing them) is not an
    error: the choice goes back to "First available" and ``provider_reset`` names them, so the
    page can say why. A small script updates the list when the location changes; without
    JavaScript the list follows the location on the next search.
    """

    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.filter(is_active=True),
        to_field_name="slug",
        empty_label=None,
    )
    type = forms.ModelChoiceField(
        label=_("Type of appointment"),
        queryset=AppointmentType.objects.filter(is_active=True),
        to_field_name="slug",
        empty_label=None,
    )
    provider = forms.ChoiceField(label=_("Physician"), required=False)
    day = forms.DateField(
        label=_("From"), required=False, widget=DateInput, validators=[validate_schedulable]
    )

    def __init__(self, *args, locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if locations is not None:
            self.fields["location"].queryset = locations
        locations = list(self.fields["location"].queryset)
        self.fields["type"].label_from_instance = lambda kind: kind.display_name
        self.physicians = physicians_by_location(locations)
        chosen = self._chosen_location_slug(locations)
        offered = self.physicians.get(chosen, [])
        self.fields["provider"].choices = [("", _("First available")), *offered]
        self.provider_reset: Provider | None = None
        slug = self.data.get("provider", "") if self.is_bound else ""
        if slug and slug not in {physician for physician, _name in offered}:
            self.provider_reset = Provider.objects.filter(slug=slug, is_active=True).first()
            self.data = self.data.copy()
            self.data["provider"] = ""

    def _chosen_location_slug(self, locations) -> str:
        slugs = [location.slug for location in locations]
        wanted = self.data.get("location") if self.is_bound else None
        wanted = wanted or self.initial.get("location")
        wanted = getattr(wanted, "slug", wanted)
        return wanted if wanted in slugs else (slugs[0] if slugs else "")

    def clean(self):
        cleaned = super().clean()
        location, slug = cleaned.get("location"), cleaned.get("provider")
        cleaned["provider"] = (
            Provider.objects.filter(slug=slug, is_active=True, locations=location).first()
            if location and slug
            else None
        )
        return cleaned


class SlotChoiceForm(forms.Form):
    """Step two: the time picked (a button per slot posts these)."""

    provider = forms.ModelChoiceField(
        queryset=Provider.objects.filter(is_active=True), to_field_name="slug"
    )
    start = forms.DateTimeField(input_formats=["iso-8601"], validators=[validate_schedulable])

    def clean_start(self) -> datetime:
        start = self.cleaned_data["start"]
        if timezone.is_naive(start):
            raise ValidationError(_("The time is incomplete. Please choose it again."))
        return start


class HoldForm(SlotChoiceForm):
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True), to_field_name="slug"
    )
    type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.filter(is_active=True), to_field_name="slug"
    )


class StaffChangeForm(forms.Form):
    """Cancel or reschedule from the admin; inside the cutoff staff must say they override it."""

    override_cutoff = forms.BooleanField(
        label=_("Override the cancellation and reschedule cutoff"),
        required=False,
        help_text=_("Recorded in the appointment's history with your name."),
    )
    note = forms.CharField(label=_("Note for the history"), max_length=300, required=False)


class StaffRescheduleForm(StaffChangeForm):
    provider = forms.ModelChoiceField(label=_("Physician"), queryset=Provider.objects.none())
    day = forms.DateField(
        label=_("Date (local)"), widget=DateInput, validators=[validate_schedulable]
    )
    time = forms.TimeField(label=_("Time (local)"), widget=forms.TimeInput(attrs={"type": "time"}))

    field_order = ["provider", "day", "time", "override_cutoff", "note"]

    def __init__(self, *args, appointment: Appointment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(
            is_active=True, locations=appointment.location
        )


class StaffBookForm(forms.Form):
    patient_email = forms.EmailField(label=_("Patient's e-mail address"))
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.filter(is_active=True)
    )
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=AppointmentType.objects.filter(is_active=True)
    )
    provider = forms.ModelChoiceField(
        label=_("Physician"), queryset=Provider.objects.filter(is_active=True)
    )
    day = forms.DateField(
        label=_("Date (local)"), widget=DateInput, validators=[validate_schedulable]
    )
    time = forms.TimeField(label=_("Time (local)"), widget=forms.TimeInput(attrs={"type": "time"}))

    def clean_patient_email(self) -> User:
        email = self.cleaned_data["patient_email"]
        patient = User.objects.filter(email__iexact=email, is_active=True).first()
        if patient is None:
            raise ValidationError(_("No active account has this e-mail address."))
        return patient


class EmergencyAcknowledgementForm(forms.Form):
    """Asked before booking when the patient's recent symptom check was an emergency."""

    confirmation = forms.ChoiceField(
        label=_("Before you book, please tell us"),
        widget=forms.RadioSelect,
        choices=[
            (
                TriageAttention.EMERGENCY_SEEN,
                _("I have been seen by a doctor or an emergency department for these symptoms."),
            ),
            (
                TriageAttention.EMERGENCY_NOT,
                _(
                    "It is not an emergency: my symptoms have changed, or I answered the "
                    "questions by mistake."
                ),
            ),
        ],
    )
