"""Forms of the front desk (staff only): choosing a board's day, finding a patient, and booking
one of the free times the availability engine offers (never a typed time)."""

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.forms import DateInput
from clinic.models import Location, Provider, User
from clinic.timefmt import format_time
from scheduling.availability import availability_for
from scheduling.frontdesk_services import Override
from scheduling.models import AppointmentType

OVERRIDE_CHOICES = [
    (
        Override.TRIAGE_GATE,
        _(
            "Book despite a recent emergency symptom check (the patient's online booking stops "
            "at the emergency advice)"
        ),
    ),
    (
        Override.SHORT_NOTICE,
        _("Book at short notice (inside the type's minimum notice or change cutoff)"),
    ),
    (
        Override.NO_SHOW_POLICY,
        _(
            "Confirm now despite the no-show policy (the patient's own booking would wait for "
            "staff confirmation)"
        ),
    ),
]


class BoardDayForm(forms.Form):
    date = forms.DateField(label=_("Day"), required=False, widget=DateInput)


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a patient"),
        max_length=100,
        help_text=_("Name, e-mail, phone or date of birth (YYYY-MM-DD or MM/DD/YYYY)."),
    )


class FreeTimeSearchForm(forms.Form):
    """Physician, type and day: the free times of that choice are offered below it."""

    provider = forms.ModelChoiceField(
        label=_("Physician"), queryset=Provider.objects.none(), empty_label=None
    )
    type = forms.ModelChoiceField(
        label=_("Type of appointment"),
        queryset=AppointmentType.objects.filter(is_active=True),
        empty_label=None,
    )
    day = forms.DateField(label=_("Day"), widget=DateInput)

    def __init__(self, *args, location: Location, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(
            is_active=True, locations=location
        ).order_by("sort_order", "name")
        self.fields["provider"].label_from_instance = lambda provider: provider.name
        self.fields["type"].label_from_instance = lambda kind: kind.display_name


class StaffBookingForm(forms.Form):
    """The chosen patient, physician, type and one of the free times of the day; overrides
    (checkboxes) and the reason for them."""

    patient = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, is_staff=False), widget=forms.HiddenInput
    )
    provider = forms.ModelChoiceField(queryset=Provider.objects.none(), widget=forms.HiddenInput)
    type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.filter(is_active=True), widget=forms.HiddenInput
    )
    day = forms.DateField(widget=forms.HiddenInput)
    start = forms.ChoiceField(label=_("Free time"), widget=forms.RadioSelect)
    overrides = forms.MultipleChoiceField(
        label=_("Staff overrides"),
        choices=OVERRIDE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason for the override"),
        max_length=300,
        required=False,
        help_text=_("Required with any override; kept in the appointment's history."),
    )

    def __init__(self, *args, location: Location, times: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.location = location
        self.fields["provider"].queryset = Provider.objects.filter(
            is_active=True, locations=location
        )
        self.fields["start"].choices = times

    def clean(self):
        data = super().clean()
        if data.get("overrides") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the override."))
        return data

    @property
    def start_instant(self) -> datetime:
        return datetime.fromisoformat(self.cleaned_data["start"])


def free_times(
    *, location: Location, provider: Provider, kind: AppointmentType, day
) -> list[tuple[str, str]]:
    """``(UTC ISO start, local time)`` of the free times the availability engine offers staff
    (no minimum notice) for one physician, type and local day."""
    return [
        (slot.start.isoformat(), format_time(slot.start, location, with_zone=None))
        for slot in availability_for(
            location=location,
            kind=kind,
            first=day,
            last=day,
            provider=provider,
            ignore_notice=True,
        )
    ]
