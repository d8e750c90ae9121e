"""The patient's form to join the waitlist: the booking search's where, what and with whom, and
a range of days."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.forms import DateInput
from clinic.validators import validate_schedulable
from scheduling.forms import SlotSearchForm


class WaitlistJoinForm(SlotSearchForm):
    day = forms.DateField(
        label=_("Earliest day"), widget=DateInput, validators=[validate_schedulable]
    )
    last = forms.DateField(
        label=_("Latest day"), widget=DateInput, validators=[validate_schedulable]
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("day"), cleaned.get("last")
        if first and last and last < first:
            self.add_error("last", _("The latest day must be on or after the earliest day."))
        return cleaned
