"""The red-flag alert queue in the admin.

It opens on the unresolved alerts, critical before high and newest first. Staff see the alerts
of the locations they serve (and those routed to no location); superusers see every alert.
Viewing needs ``triage.view_staffalert``; acknowledging, resolving and re-sending need
``triage.change_staffalert``. The alert form never saves: every change goes through a service
in ``triage.alerts``, which keeps the alert's history. The queue and the alert pages are
recorded in the PHI access log (``list`` / ``view``), the work as ``change``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from audit.admin_mixins import PhiAdminMixin, ReadOnlyAdminMixin
from audit.context import AccessContext
from clinic.admin_display import staff_time
from clinic.phones import phone_display
from triage.alerts import NOTE_MAX_LENGTH, alert_acknowledge, alert_delivery_requeue, alert_resolve
from triage.errors import AlertAlreadyHandled
from triage.models import (
    AlertDelivery,
    AlertOutcome,
    AlertSeverity,
    AlertStatus,
    StaffAlert,
    StaffAlertEvent,
)
from triage.presentation import answer_rows, versions_in_words
from triage.selectors import alert_list_for_staff

WORK_PERMISSION = "triage.change_staffalert"
SEVERITY_RANK = Case(
    When(severity=AlertSeverity.CRITICAL, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


def local_time(value, location) -> str:
    """A stored UTC time in the alert location's zone, the zone named (the kernel's one
    staff-facing format, ``clinic.admin_display.staff_time``)."""
    return staff_time(value, location)


class DefaultStatusFilter(admin.SimpleListFilter):
    """A status filter that opens on ``default`` (the work still to do) instead of "all"."""

    title = _("status")
    parameter_name = "status"
    default = ""
    ALL = "all"

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class StatusFilter(DefaultStatusFilter):
    """Status, defaulting to the unresolved alerts (new and acknowledged)."""

    UNRESOLVED = "unresolved"
    default = UNRESOLVED

    def lookups(self, request, model_admin):
        return [(self.UNRESOLVED, _("Unresolved")), *AlertStatus.choices, (self.ALL, _("All"))]

    def queryset(self, request, queryset):
        if self.value() == self.UNRESOLVED:
            return queryset.exclude(status=AlertStatus.RESOLVED)
        if self.value() in AlertStatus.values:
            return queryset.filter(status=self.value())
        return queryset


class ContactFilter(admin.SimpleListFilter):
    """Whether staff have a way to reach the person: an account with a phone on file, or a
    phone an anonymous visitor left."""

    title = _("contact details")
    parameter_name = "contact"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        reachable = Q(profile_phone__gt="") | ~Q(contact_phone="")
        if self.value() == "yes":
            return queryset.filter(reachable)
        if self.value() == "no":
            return queryset.exclude(reachable)
        return queryset


class AlertResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=AlertOutcome.choices,
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 4, "cols": 60, "aria-describedby": "id_note_helptext"}
        ),
        help_text=_("What was done: who you spoke with, what they were advised, next steps."),
    )


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """History and deliveries: visible with the alert, never edited by hand."""

    extra = 0
    can_delete = False
    classes = ["triage-inline"]
    template = "admin/triage/staffalert/readonly_tabular.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("triage.view_staffalert") or request.user.has_perm(
            WORK_PERMISSION
        )


class EventInline(ReadOnlyInline):
    model = StaffAlertEvent
    verbose_name_plural = _("History")
    fields = ("when", "kind", "actor", "from_status", "to_status", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "alert__location")

    @admin.display(description=_("when"))
    def when(self, event: StaffAlertEvent) -> str:
        return local_time(event.at, event.alert.location)


class DeliveryInline(ReadOnlyInline):
    model = AlertDelivery
    verbose_name_plural = _("Notifications sent to staff")
    fields = (
        "channel",
        "purpose",
        "status",
        "attempts",
        "sent_to",
        "next_attempt",
        "sent",
        "last_error",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("alert__location")

    @admin.display(description=_("sent to"))
    def sent_to(self, delivery: AlertDelivery) -> str:
        return ", ".join(delivery.recipients) or "—"

    @admin.display(description=_("next attempt"))
    def next_attempt(self, delivery: AlertDelivery) -> str:
        if delivery.status != AlertDelivery.Status.PENDING:
            return "—"
        return local_time(delivery.next_attempt_at, delivery.alert.location)

    @admin.display(description=_("sent at"))
    def sent(self, delivery: AlertDelivery) -> str:
        return local_time(delivery.sent_at, delivery.alert.location)


class WorkedThroughServicesAdmin(ReadOnlyAdminMixin, PhiAdminMixin, admin.ModelAdmin):
    """A queue whose records change only through services (actions and buttons): the admin
    form never adds, saves or deletes; working needs ``work_permission``."""

    work_permission = WORK_PERMISSION

    def has_work_permission(self, request) -> bool:
        return request.user.has_perm(self.work_permission)


@admin.register(StaffAlert)
class StaffAlertAdmin(WorkedThroughServicesAdmin):
    list_display = (
        "alert_number",
        "severity_badge",
        "status",
        "age",
        "patient_and_phone",
        "location",
        "submission_count",
        "escalated",
        "delivery",
    )
    list_display_links = ("alert_number",)
    list_filter = (StatusFilter, "severity", ContactFilter, "location", "escalated")
    search_fields = (
        "patient__first_name",
        "patient__last_name",
        "patient__email",
        "patient__patient_profile__phone",
    )
    search_help_text = _("Patient name, e-mail or phone.")
    list_per_page = 50
    actions = ["acknowledge", "resolve", "resend_failed"]
    inlines = [EventInline, DeliveryInline]
    fieldsets = (
        (None, {"fields": ("severity_badge", "status", "received", "age")}),
        (_("Routing"), {"fields": ("location", "escalation")}),
        (_("Patient"), {"fields": ("contact",)}),
        (_("Why"), {"fields": ("summary", "fired_rules", "repeats")}),
        (_("Answers"), {"fields": ("answers", "assessment_versions")}),
        (_("Handling"), {"fields": ("acknowledged", "resolved", "outcome", "note")}),
    )
    readonly_fields = (
        "alert_number",
        "severity_badge",
        "status",
        "received",
        "age",
        "location",
        "escalation",
        "contact",
        "summary",
        "fired_rules",
        "repeats",
        "answers",
        "assessment_versions",
        "acknowledged",
        "resolved",
        "outcome",
        "note",
    )

    class Media:
        css = {"all": ["triage/admin.css"]}

    # --- the queue -------------------------------------------------------------------------
    def get_queryset(self, request):
        deliveries = AlertDelivery.objects.filter(alert=OuterRef("pk"))
        return (
            alert_list_for_staff(user=request.user)
            .select_related("location", "patient", "assessment")
            .annotate(
                profile_phone=F("patient__patient_profile__phone"),
                delivery_failed=Exists(deliveries.filter(status=AlertDelivery.Status.FAILED)),
                delivery_pending=Exists(deliveries.filter(status=AlertDelivery.Status.PENDING)),
                delivery_sent=Exists(deliveries.filter(status=AlertDelivery.Status.SENT)),
            )
        )

    def get_ordering(self, request):
        return [SEVERITY_RANK.asc(), "-created_at"]

    @admin.display(description=_("alert"), ordering="pk")
    def alert_number(self, alert: StaffAlert) -> str:
        return str(alert)

    @admin.display(description=_("severity"), ordering=SEVERITY_RANK)
    def severity_badge(self, alert: StaffAlert) -> str:
        return format_html(
            '<span class="triage-severity triage-severity-{}">{}</span>',
            alert.severity,
            alert.get_severity_display(),
        )

    @admin.display(description=_("age"), ordering="-created_at")
    def age(self, alert: StaffAlert) -> str:
        return timesince(alert.created_at, depth=2)

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, alert: StaffAlert) -> str:
        return local_time(alert.created_at, alert.location)

    @admin.display(description=_("patient"))
    def patient_and_phone(self, alert: StaffAlert) -> str:
        if alert.patient is None:
            return format_html(
                '{}<br><span class="triage-phone">{}</span>',
                gettext("Anonymous visitor"),
                phone_display(alert.contact_phone) or gettext("no contact details"),
            )
        return format_html(
            '{}<br><span class="triage-phone">{}</span>',
            alert.patient.display_name,
            getattr(alert, "profile_phone", "")
            or phone_display(alert.contact_phone)
            or gettext("no phone"),
        )

    @admin.display(description=_("submissions"), ordering="submissions")
    def submission_count(self, alert: StaffAlert) -> str:
        """How many anonymous emergency checks the flood guard counted in this alert."""
        if alert.submissions == 1:
            return "1"
        return format_html(
            '<span class="triage-repeats">{}</span>',
            gettext("%(count)d (last %(when)s)")
            % {
                "count": alert.submissions,
                "when": local_time(alert.last_submitted_at, alert.location),
            },
        )

    @admin.display(description=_("delivery"))
    def delivery(self, alert: StaffAlert) -> str:
        if alert.delivery_failed:
            state, label = "failed", gettext("Failed")
        elif alert.delivery_pending:
            state, label = "pending", gettext("Pending")
        elif alert.delivery_sent:
            state, label = "sent", gettext("Sent")
        else:
            return "—"
        return format_html('<span class="triage-delivery-{}">{}</span>', state, label)

    # --- the alert page --------------------------------------------------------------------
    @admin.display(description=_("escalated"))
    def escalation(self, alert: StaffAlert) -> str:
        if not alert.escalated:
            return gettext("No")
        return gettext("Yes, at %(when)s") % {
            "when": local_time(alert.escalated_at, alert.location)
        }

    @admin.display(description=_("contact"))
    def contact(self, alert: StaffAlert) -> str:
        patient = alert.patient
        left = phone_display(alert.contact_phone)
        if patient is None:
            if not left:
                return gettext("Anonymous visitor: no contact details.")
            return _table([(gettext("Phone left on the result page"), left)])
        profile = getattr(patient, "patient_profile", None)
        rows = [
            (gettext("Name"), patient.display_name),
            (gettext("Phone"), (profile.phone if profile else "") or gettext("none on file")),
            *([(gettext("Phone left on the result page"), left)] if left else []),
            (gettext("E-mail"), patient.email),
            (gettext("Date of birth"), profile.date_of_birth if profile else None),
            (
                gettext("Preferred language"),
                profile.get_preferred_language_display() if profile else None,
            ),
        ]
        return _table((label, value if value not in (None, "") else "—") for label, value in rows)

    @admin.display(description=_("rules that fired"))
    def fired_rules(self, alert: StaffAlert) -> str:
        return _table(
            (
                f"{flag['rule']} ({flag['level']})",
                flag.get("staff_message") or flag["message"],
            )
            for flag in alert.assessment.flags
        )

    @admin.display(description=_("answers"))
    def answers(self, alert: StaffAlert) -> str:
        rows = [
            format_html(
                '<tr{}><th scope="row">{}</th><td>{}</td></tr>',
                format_html(' class="{}"', row.css_class) if row.css_class else "",
                row.text,
                row.answer,
            )
            for row in answer_rows(alert.assessment)
        ]
        return format_html(
            '<table class="triage-answers"><tbody>{}</tbody></table>',
            format_html_join("", "{}", ((row,) for row in rows)),
        )

    @admin.display(description=_("repeated checks"))
    def repeats(self, alert: StaffAlert) -> str:
        """The later anonymous emergency checks the flood guard counted here, newest first."""
        later = alert.repeat_assessments.order_by("-created_at")
        rows = [
            (
                local_time(repeat.created_at, alert.location),
                ", ".join(flag["rule"] for flag in repeat.flags),
            )
            for repeat in later
        ]
        return _table(rows) if rows else "—"

    @admin.display(description=_("judged by"))
    def assessment_versions(self, alert: StaffAlert) -> str:
        return versions_in_words(alert.assessment)

    @admin.display(description=_("acknowledged"))
    def acknowledged(self, alert: StaffAlert) -> str:
        return _by_at(alert.acknowledged_by, alert.acknowledged_at, alert.location)

    @admin.display(description=_("resolved"))
    def resolved(self, alert: StaffAlert) -> str:
        return _by_at(alert.resolved_by, alert.resolved_at, alert.location)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        alert = self.get_object(request, object_id)
        extra = {
            "can_work": self.has_work_permission(request),
            "has_failed_deliveries": alert is not None
            and alert.deliveries.filter(status=AlertDelivery.Status.FAILED).exists(),
        }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    # --- work: actions on the queue and buttons on the alert page ----------------------------
    def get_urls(self):
        views = {
            "acknowledge": self.acknowledge_view,
            "resolve": self.resolve_view,
            "resend": self.resend_view,
        }
        return [
            *(
                path(
                    f"<path:object_id>/{name}/",
                    self.admin_site.admin_view(view),
                    name=f"triage_staffalert_{name}",
                )
                for name, view in views.items()
            ),
            *super().get_urls(),
        ]

    def _alert_to_work(self, request, object_id) -> StaffAlert:
        alert = self.get_object(request, object_id)
        if alert is None:
            raise Http404
        if not self.has_work_permission(request):
            raise PermissionDenied
        return alert

    def _back_to(self, alert: StaffAlert) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:triage_staffalert_change", args=[alert.pk]))

    def _each(self, request, alerts, step, done_message) -> None:
        """Run ``step`` (one service call) on each alert, then say how many were done and how
        many were skipped because they had been handled meanwhile."""
        done = skipped = 0
        for alert in alerts:
            try:
                step(alert)
                done += 1
            except AlertAlreadyHandled:
                skipped += 1
        if done:
            messages.success(request, done_message(done))
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d alert was skipped: it had already been handled.",
                    "%(count)d alerts were skipped: they had already been handled.",
                    skipped,
                )
                % {"count": skipped},
            )

    def _acknowledge_all(self, request, alerts) -> None:
        self._each(
            request,
            alerts,
            lambda alert: alert_acknowledge(
                alert=alert, user=request.user, access=AccessContext.admin(request)
            ),
            _acknowledged_message,
        )

    def _resolve_all(self, request, alerts, form) -> None:
        self._each(
            request,
            alerts,
            lambda alert: alert_resolve(
                alert=alert,
                user=request.user,
                access=AccessContext.admin(request),
                **form.cleaned_data,
            ),
            _resolved_message,
        )

    @admin.action(description=_("Acknowledge"), permissions=["work"])
    def acknowledge(self, request, queryset):
        self._acknowledge_all(request, list(queryset))

    @admin.action(description=_("Resolve…"), permissions=["work"])
    def resolve(self, request, queryset):
        open_alerts = list(queryset.exclude(status=AlertStatus.RESOLVED))
        if not open_alerts:
            self.message_user(
                request, gettext("None of the selected alerts is open."), messages.WARNING
            )
            return None
        form = AlertResolveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._resolve_all(request, open_alerts, form)
            return None
        return self._resolve_page(request, open_alerts, form, selected=True)

    @admin.action(description=_("Re-send failed notifications"), permissions=["work"])
    def resend_failed(self, request, queryset):
        access = AccessContext.admin(request)
        count = sum(
            alert_delivery_requeue(alert=a, user=request.user, access=access) for a in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d failed notification queued again.",
                "%(count)d failed notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def _resolve_page(self, request, alerts, form, *, selected: bool):
        if selected:
            title = gettext("Resolve alerts")
        else:
            title = gettext("Resolve %(alert)s") % {"alert": alerts[0]}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "alerts": alerts,
            "form": form,
            "selected": selected,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/triage/staffalert/resolve.html", context)

    @method_decorator(require_POST)
    def acknowledge_view(self, request, object_id):
        alert = self._alert_to_work(request, object_id)
        self._acknowledge_all(request, [alert])
        return self._back_to(alert)

    def resolve_view(self, request, object_id):
        alert = self._alert_to_work(request, object_id)
        if alert.status == AlertStatus.RESOLVED:
            messages.warning(request, AlertAlreadyHandled.default_detail)
            return self._back_to(alert)
        form = AlertResolveForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            self._resolve_all(request, [alert], form)
            return self._back_to(alert)
        return self._resolve_page(request, [alert], form, selected=False)

    @method_decorator(require_POST)
    def resend_view(self, request, object_id):
        alert = self._alert_to_work(request, object_id)
        self.resend_failed(request, StaffAlert.objects.filter(pk=alert.pk))
        return self._back_to(alert)


def _acknowledged_message(count: int) -> str:
    return ngettext("%(count)d alert acknowledged.", "%(count)d alerts acknowledged.", count) % {
        "count": count
    }


def _resolved_message(count: int) -> str:
    return ngettext("%(count)d alert resolved.", "%(count)d alerts resolved.", count) % {
        "count": count
    }


def _table(rows) -> str:
    return format_html(
        '<table class="triage-facts"><tbody>{}</tbody></table>',
        format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows),
    )


def _by_at(user, when, location) -> str:
    if when is None:
        return "—"
    return gettext("%(who)s at %(when)s") % {
        "who": user.display_name if user else gettext("the portal"),
        "when": local_time(when, location),
    }
