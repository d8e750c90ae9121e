"""The follow-up worklist of "soon" results in the admin: patients a clinician should see
within two weeks, for staff to call and help book. Scoped by location like the alert queue;
oldest first, open ones by default. The form never saves: "Mark as done" records the outcome
through ``triage.follow_ups``. Pages and work are recorded in the PHI access log."""

import operator
from functools import reduce

from django import forms
from django.contrib import admin, messages
from django.db.models import F, OuterRef, Value
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from audit.context import AccessContext
from clinic.discovery import app_modules
from triage.alert_admin import DefaultStatusFilter, WorkedThroughServicesAdmin, local_time
from triage.errors import FollowUpAlreadyDone
from triage.follow_ups import NOTE_MAX_LENGTH, follow_up_complete
from triage.models import FollowUp, FollowUpOutcome, FollowUpStatus
from triage.selectors import follow_up_list_for_staff

WORK_PERMISSION = "triage.change_followup"


class FollowUpStatusFilter(DefaultStatusFilter):
    """Status, defaulting to the follow-ups still to do."""

    default = FollowUpStatus.OPEN

    def lookups(self, request, model_admin):
        return [*FollowUpStatus.choices, (self.ALL, _("All"))]

    def queryset(self, request, queryset):
        if self.value() in FollowUpStatus.values:
            return queryset.filter(status=self.value())
        return queryset


class FollowUpDoneForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=FollowUpOutcome.choices,
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


@admin.register(FollowUp)
class FollowUpAdmin(WorkedThroughServicesAdmin):
    work_permission = WORK_PERMISSION

    list_display = (
        "follow_up_number",
        "received",
        "waiting",
        "patient_and_phone",
        "location",
        "reasons",
        "booked",
        "status",
    )
    list_display_links = ("follow_up_number",)
    list_filter = (FollowUpStatusFilter, "location")
    search_fields = ("patient__first_name", "patient__last_name", "patient__email")
    search_help_text = _("Patient name or e-mail.")
    actions = ["mark_done"]
    fields = (
        "received",
        "patient_and_phone",
        "location",
        "reasons",
        "booked",
        "status",
        "outcome",
        "done",
        "note",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        bookings = [
            hook.booked_since(patient=OuterRef("patient"), since=OuterRef("created_at"))
            for hook in app_modules("follow_up_bookings")
        ]
        return (
            follow_up_list_for_staff(user=request.user)
            .select_related("location", "patient", "assessment", "done_by")
            .annotate(
                profile_phone=F("patient__patient_profile__phone"),
                has_booking=reduce(operator.or_, bookings) if bookings else Value(False),
            )
        )

    def get_ordering(self, request):
        return ["created_at"]

    @admin.display(description=_("follow-up"), ordering="pk")
    def follow_up_number(self, follow_up: FollowUp) -> str:
        return str(follow_up)

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, follow_up: FollowUp) -> str:
        return local_time(follow_up.created_at, follow_up.location)

    @admin.display(description=_("waiting"))
    def waiting(self, follow_up: FollowUp) -> str:
        return timesince(follow_up.created_at, depth=1)

    @admin.display(description=_("patient"))
    def patient_and_phone(self, follow_up: FollowUp) -> str:
        return format_html(
            '{}<br><span class="triage-phone">{}</span>',
            follow_up.patient.display_name,
            getattr(follow_up, "profile_phone", "") or gettext("no phone"),
        )

    @admin.display(description=_("why"))
    def reasons(self, follow_up: FollowUp) -> str:
        return "; ".join(
            f"{flag['rule']}: {flag.get('staff_message') or flag['message']}"
            for flag in follow_up.assessment.flags
        )

    @admin.display(description=_("booked since"), boolean=True)
    def booked(self, follow_up: FollowUp) -> bool:
        return bool(getattr(follow_up, "has_booking", False))

    @admin.display(description=_("done"))
    def done(self, follow_up: FollowUp) -> str:
        if follow_up.done_at is None:
            return "—"
        return gettext("%(who)s at %(when)s") % {
            "who": follow_up.done_by.display_name if follow_up.done_by else "—",
            "when": local_time(follow_up.done_at, follow_up.location),
        }

    @admin.action(description=_("Mark as done…"), permissions=["work"])
    def mark_done(self, request, queryset):
        open_ones = list(queryset.filter(status=FollowUpStatus.OPEN))
        if not open_ones:
            self.message_user(
                request, gettext("None of the selected follow-ups is open."), messages.WARNING
            )
            return None
        form = FollowUpDoneForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Mark follow-ups as done"),
                "follow_ups": open_ones,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "media": self.media + form.media,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/triage/followup/done.html", context)
        done = skipped = 0
        for follow_up in open_ones:
            try:
                follow_up_complete(
                    follow_up=follow_up,
                    user=request.user,
                    access=AccessContext.admin(request),
                    **form.cleaned_data,
                )
                done += 1
            except FollowUpAlreadyDone:
                skipped += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d follow-up done.", "%(count)d follow-ups done.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d follow-up was skipped: someone had done it already.",
                    "%(count)d follow-ups were skipped: someone had done them already.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        return None
