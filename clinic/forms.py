from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from clinic.models import Language, Location
from clinic.phones import PhoneField
from clinic.validators import validate_date_of_birth


class DateInput(forms.DateInput):
    input_type = "date"


class EmailAuthenticationForm(AuthenticationForm):
    """Django's log-in form with the field labelled for what it is: an e-mail address."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is incorrect. Note that the password is case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }


class ProfileFieldsMixin(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput,
        validators=[validate_date_of_birth],
    )
    phone = PhoneField(
        label=_("Phone"),
        required=False,
        help_text=_("So the clinic can call you about your results or appointments."),
    )
    preferred_location = forms.ModelChoiceField(
        label=_("Preferred location"),
        queryset=Location.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
        empty_label=_("No preference"),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.ENGLISH
    )


class SignUpForm(ProfileFieldsMixin):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters; a long passphrase is best. Common passwords are refused."
        ),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "email",
        "first_name",
        "last_name",
        "date_of_birth",
        "phone",
        "preferred_location",
        "preferred_language",
        "password1",
        "password2",
    ]

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ProfileForm(ProfileFieldsMixin):
    sms_opt_in = forms.BooleanField(
        label=_("Text messages"),
        required=False,
        help_text=_(
            "Appointment reminders and notices by text message too, to the phone above. "
            "Message and data rates may apply."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sms_opt_in") and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("sms_opt_in", _("Add a phone number to get text messages."))
        return cleaned


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6-digit code your authenticator app shows now."),
    )
