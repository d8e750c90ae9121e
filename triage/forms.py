"""The web questionnaire: one Django form per step (a top-level group of the questionnaire),
built from the definition, and the conversion between form values and answers."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic.phones import PhoneField
from triage.definitions import Item

# The web's explicit "not sure" for a warning-sign question (never a code of the definition).
NOT_SURE = "not-sure"
YES, NO = "yes", "no"


def _boolean_choices(item: Item) -> list[tuple[str, str]]:
    choices = [(YES, gettext_lazy("Yes")), (NO, gettext_lazy("No"))]
    if item.red_flag:
        choices.append((NOT_SURE, gettext_lazy("Not sure")))
    return choices


def _field(item: Item) -> forms.Field:
    field = _bare_field(item)
    field.error_messages.update(_error_messages(item))
    return field


def _error_messages(item: Item) -> dict[str, str]:
    """Plain, specific wording instead of Django's defaults ("Ensure this value is less than
    or equal to 120."), in the active language."""
    if item.red_flag:
        required = _("Choose an answer, or “Not sure” if you do not know.")
    elif item.type in ("integer", "text"):
        required = _("Enter an answer.")
    else:
        required = _("Choose an answer.")
    found = {
        "required": required,
        "invalid_choice": _("Choose one of the answers shown."),
        "invalid_list": _("Choose one or more of the answers shown."),
    }
    if item.type == "integer":
        values = {"min": item.min_value, "max": item.max_value}
        between = _("Enter a whole number from %(min)s to %(max)s.") % values
        found |= {"invalid": between, "min_value": between, "max_value": between}
    if item.type == "text" and item.max_length:
        found["max_length"] = _(
            "Please keep this to %(limit_value)d characters or fewer (you have written "
            "%(show_value)d)."
        )
    return found


def _bare_field(item: Item) -> forms.Field:
    common = {
        "label": _(item.text),
        "help_text": _(item.help) if item.help else "",
        # A warning-sign question needs an explicit choice on the web, "Not sure" included.
        "required": item.required or item.red_flag,
    }
    if item.type == "boolean":
        return forms.ChoiceField(choices=_boolean_choices(item), widget=forms.RadioSelect, **common)
    if item.type == "integer":
        return forms.IntegerField(
            min_value=item.min_value,
            max_value=item.max_value,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            **common,
        )
    if item.type == "text":
        return forms.CharField(
            max_length=item.max_length, widget=forms.Textarea(attrs={"rows": 5}), **common
        )
    choices = [(option.code, _(option.display)) for option in item.options]
    if item.repeats:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if item.red_flag:
        choices.append((NOT_SURE, _("Not sure")))
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


def _initial(item: Item, answers: dict[str, Any]) -> Any:
    if item.link_id not in answers:
        return None
    value = answers[item.link_id]
    if value is None:
        return NOT_SURE if item.red_flag else None
    if item.type == "boolean":
        return YES if value else NO
    return value


def _answer(item: Item, raw: Any) -> Any:
    """The answer of one cleaned form value; ``None`` for "not sure" or no answer."""
    if raw in (None, "", [], NOT_SURE):
        return None
    if item.type == "boolean":
        return raw == YES
    return raw


class StepForm(forms.Form):
    """The questions of one step that are enabled by the answers given so far."""

    def __init__(
        self,
        *args,
        questions: list[Item],
        answers: dict[str, Any],
        prefilled: dict[str, Any] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        prefilled = prefilled or {}
        for item in questions:
            field = self.fields[item.link_id] = _field(item)
            self.initial[item.link_id] = _initial(item, answers)
            if item.link_id in prefilled:
                self.initial[item.link_id] = prefilled[item.link_id]
                field.help_text = _(
                    "We filled this in from the date of birth in your profile. Change it if "
                    "it is not right."
                )

    def answers(self) -> dict[str, Any]:
        """The step's answers (after ``is_valid``), ``None`` for "not sure" or blank."""
        return {
            item.link_id: _answer(item, self.cleaned_data.get(item.link_id))
            for item in self.questions
        }

    def error_summary(self) -> list[dict[str, str]]:
        """One entry per error, linking to the input (the first radio/checkbox of a group)."""
        entries = []
        for field in self:
            anchor = f"{field.auto_id}_0" if field.field.widget.use_fieldset else field.auto_id
            entries += [
                {"anchor": anchor, "label": field.label, "message": error} for error in field.errors
            ]
        return entries


class ContactPhoneForm(forms.Form):
    """An anonymous visitor's phone number for the clinic to call them back."""

    phone = PhoneField(
        label=gettext_lazy("Your phone number"),
        help_text=gettext_lazy(
            "For example (609) 555-0123. Include the country code if it is not a US number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        error_messages={"required": gettext_lazy("Enter the phone number we can call you on.")},
    )
