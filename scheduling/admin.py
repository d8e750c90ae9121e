"""Staff tools in the admin: appointment types, physicians' schedules (weekly hours, overrides,
offered types), appointments with their history, a day view, booking on a patient's behalf,
cancel/reschedule (with a recorded cutoff override), completed/no-show, and the e-mail outbox.

Every change goes through the booking services, never through ``save()``; non-superusers see
the appointments of the locations they serve. Staff reads and changes of appointments are
recorded in the PHI access log.
"""

from datetime import date, datetime, time, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import PhiAdminMixin
from audit.context import AccessContext
from audit.models import Action as AccessAction
from clinic.admin_display import StaffTimesAdmin, staff_time
from clinic.errors import ClinicError
from clinic.models import Location, Provider
from clinic.timefmt import format_time, zone_label
from scheduling import selectors
from scheduling.forms import StaffBookForm, StaffChangeForm, StaffRescheduleForm
from scheduling.models import (
    Appointment,
    AppointmentEvent,
    AppointmentType,
    Notification,
    PhysicianSchedule,
    ProviderAppointmentType,
    ScheduleOverride,
    WorkingHours,
)
from scheduling.notifications import notification_resend
from scheduling.services import (
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
)
from scheduling.slots import local_instant, wall_time_exists


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "duration_minutes",
        "slot_interval_minutes",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "cutoff_hours",
        "reminder_hours",
        "is_active",
    )
    list_filter = ("is_active",)
    prepopulated_fields = {"slug": ("name",)}


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class ScheduleOverrideInline(admin.TabularInline):
    model = ScheduleOverride
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).filter(date__gte=timezone.localdate())


class OfferedTypeInline(admin.TabularInline):
    model = ProviderAppointmentType
    extra = 0
    verbose_name = _("offered appointment type")
    verbose_name_plural = _("offered appointment types")


@admin.register(PhysicianSchedule)
class PhysicianScheduleAdmin(admin.ModelAdmin):
    """A physician's weekly hours per location (local time), date overrides and offered types."""

    list_display = ("name", "specialty", "is_active")
    list_filter = ("locations",)
    search_fields = ("name",)
    fields = ("name", "locations")
    readonly_fields = ("name", "locations")
    inlines = [WorkingHoursInline, ScheduleOverrideInline, OfferedTypeInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AppointmentEventInline(StaffTimesAdmin, admin.TabularInline):
    model = AppointmentEvent
    staff_times = {
        "at": "appointment__location",
        "from_start": "appointment__location",
        "to_start": "appointment__location",
    }
    extra = 0
    can_delete = False
    fields = (
        "at",
        "action",
        "actor",
        "from_status",
        "to_status",
        "from_start",
        "to_start",
        "from_provider",
        "to_provider",
        "cutoff_overridden",
        "note",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("appointment__location", "actor")

    def has_add_permission(self, request, obj=None):
        return False


class NotificationInline(StaffTimesAdmin, admin.TabularInline):
    model = Notification
    staff_times = {
        "starts_at": "location",
        "next_attempt_at": "location",
        "sent_at": "location",
    }
    extra = 0
    can_delete = False
    fields = ("kind", "status", "starts_at", "attempts", "next_attempt_at", "sent_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _real_local_time(form, field: str = "", *, location: Location | None = None) -> bool:
    """Refuse a wall-clock time the clocks skip that day (02:30 on a spring-forward night)."""
    location = location or form.cleaned_data[field]
    local = datetime.combine(form.cleaned_data["day"], form.cleaned_data["time"])
    if wall_time_exists(local, location.zone):
        return True
    form.add_error("time", _("This time does not exist on that day: the clocks change."))
    return False


def _served_locations(request):
    if request.user.is_superuser:
        return Location.objects.all()
    return request.user.served_locations.all()


@admin.register(Appointment)
class AppointmentAdmin(StaffTimesAdmin, PhiAdminMixin, admin.ModelAdmin):
    staff_times = {
        "hold_expires_at": "location",
        "confirmed_at": "location",
        "created_at": "location",
    }
    list_display = (
        "local_start",
        "provider",
        "location",
        "appointment_type",
        "status",
        "patient",
        "triage_attention",
    )
    list_filter = (
        "status",
        "triage_attention",
        "location",
        "provider",
        "appointment_type",
        "booked_via",
    )
    search_fields = ("patient__email", "patient__last_name")
    date_hierarchy = "start"
    list_select_related = ("provider", "location", "appointment_type", "patient")
    fields = (
        "patient",
        "local_start",
        "provider",
        "location",
        "appointment_type",
        "status",
        "hold_expires_at",
        "booked_by",
        "booked_via",
        "triage_attention",
        "symptom_check",
        "confirmed_at",
        "sequence",
        "created_at",
    )
    readonly_fields = fields
    inlines = [AppointmentEventInline, NotificationInline]
    actions = ["mark_completed", "mark_no_show"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(location__in=_served_locations(request))

    @admin.display(description=_("start (local)"), ordering="start")
    def local_start(self, obj: Appointment) -> str:
        return staff_time(obj.start, obj.location)

    @admin.display(description=_("symptom check"))
    def symptom_check(self, obj: Appointment) -> str:
        if obj.assessment is None:
            return "—"
        checked = staff_time(obj.assessment.created_at, obj.location)
        return f"{obj.assessment.get_urgency_display()} · {checked}"

    def has_add_permission(self, request):
        return request.user.has_perm("scheduling.add_appointment")

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        appointment = self.get_queryset(request).filter(pk=object_id).first()
        if appointment is not None:
            local_day = appointment.start.astimezone(appointment.location.zone).date()
            extra_context = {**(extra_context or {}), "local_day": local_day.isoformat()}
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:scheduling_appointment_book")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("day/", wrap(self.day_view), name="scheduling_appointment_day"),
            path("book/", wrap(self.book_view), name="scheduling_appointment_book"),
            path(
                "<int:appointment_id>/cancel/",
                wrap(self.cancel_view),
                name="scheduling_appointment_cancel",
            ),
            path(
                "<int:appointment_id>/reschedule/",
                wrap(self.reschedule_view),
                name="scheduling_appointment_reschedule",
            ),
            *super().get_urls(),
        ]

    # --- actions ---------------------------------------------------------------------------

    def _mark(self, request, queryset, status: str) -> None:
        done = 0
        for appointment in queryset:
            try:
                appointment_mark(
                    appointment=appointment,
                    status=status,
                    actor=request.user,
                    access=AccessContext.admin(request),
                )
            except ClinicError as exc:
                self.message_user(request, f"{appointment}: {exc.detail}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(count)d appointment(s) updated.") % {"count": done})

    @admin.action(description=_("Mark selected as completed"), permissions=["change"])
    def mark_completed(self, request, queryset):
        self._mark(request, queryset, Appointment.Status.COMPLETED)

    @admin.action(description=_("Mark selected as no-show"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._mark(request, queryset, Appointment.Status.NO_SHOW)

    # --- custom views ------------------------------------------------------------------------

    def _page(self, request, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },
        )

    def _own(self, request, appointment_id: int) -> Appointment:
        if not self.has_change_permission(request):
            raise PermissionDenied
        appointment = get_object_or_404(self.get_queryset(request), pk=appointment_id)
        self.phi_record(request, action=AccessAction.VIEW, obj=appointment)
        return appointment

    def day_view(self, request):
        """One physician's day at one location, in the location's local time."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        locations = _served_locations(request).filter(is_active=True)
        location = locations.filter(slug=request.GET.get("location")).first() or locations.first()
        providers = Provider.objects.filter(is_active=True, locations=location) if location else []
        provider = (
            providers.filter(slug=request.GET.get("provider")).first() or providers.first()
            if location
            else None
        )
        try:
            day = date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            day = timezone.now().astimezone(location.zone).date() if location else date.today()
        context = {
            "locations": locations,
            "providers": providers,
            "location": location,
            "provider": provider,
            "day": day,
        }
        if location and provider:

            def clock(moment):
                return format_time(moment, location, with_zone=None)

            schedule = selectors.day_schedule(
                location=location, provider=provider, day=day, access=AccessContext.admin(request)
            )
            context.update(
                zone_name=zone_label(local_instant(day, time(12), location.zone), location),
                working=[(clock(s), clock(e)) for s, e in schedule.working],
                time_off=[(clock(s), clock(e)) for s, e in schedule.time_off],
                rows=[
                    {
                        "appointment": a,
                        "start": format_time(a.start, a.location, with_zone=None),
                        "end": format_time(a.end, a.location, with_zone=None),
                        "url": reverse("admin:scheduling_appointment_change", args=[a.pk]),
                    }
                    for a in schedule.appointments
                ],
                previous=(day - timedelta(days=1)).isoformat(),
                next=(day + timedelta(days=1)).isoformat(),
            )
        return self._page(request, "admin/scheduling/day.html", _("Day view"), **context)

    def book_view(self, request):
        """Book on a patient's behalf: same rules as the patient, minus the minimum notice."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StaffBookForm(request.POST or None)
        form.fields["location"].queryset = _served_locations(request).filter(is_active=True)
        if request.method == "POST" and form.is_valid() and _real_local_time(form, "location"):
            data = form.cleaned_data
            try:
                appointment = appointment_book(
                    patient=data["patient_email"],
                    provider=data["provider"],
                    location=data["location"],
                    kind=data["type"],
                    start=local_instant(data["day"], data["time"], data["location"].zone),
                    booked_by=request.user,
                    access=AccessContext.admin(request),
                )
            except ClinicError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
            else:
                self.message_user(
                    request,
                    _("Booked: %(when)s.")
                    % {"when": staff_time(appointment.start, appointment.location)},
                )
                return redirect("admin:scheduling_appointment_change", appointment.pk)
        return self._page(request, "admin/scheduling/form.html", _("Book for a patient"), form=form)

    def cancel_view(self, request, appointment_id: int):
        appointment = self._own(request, appointment_id)
        form = StaffChangeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                appointment_cancel(
                    appointment=appointment,
                    actor=request.user,
                    override_cutoff=form.cleaned_data["override_cutoff"],
                    note=form.cleaned_data["note"],
                    access=AccessContext.admin(request),
                )
            except ClinicError as exc:
                form.add_error(None, exc.detail)
            else:
                self.message_user(
                    request, _("The appointment is cancelled; the patient is e-mailed.")
                )
                return redirect("admin:scheduling_appointment_change", appointment.pk)
        return self._page(
            request,
            "admin/scheduling/form.html",
            _("Cancel appointment"),
            form=form,
            appointment=appointment,
            when=staff_time(appointment.start, appointment.location),
        )

    def reschedule_view(self, request, appointment_id: int):
        appointment = self._own(request, appointment_id)
        local = appointment.start.astimezone(appointment.location.zone)
        form = StaffRescheduleForm(
            request.POST or None,
            appointment=appointment,
            initial={"provider": appointment.provider, "day": local.date(), "time": local.time()},
        )
        if (
            request.method == "POST"
            and form.is_valid()
            and _real_local_time(form, location=appointment.location)
        ):
            data = form.cleaned_data
            try:
                appointment_reschedule(
                    appointment=appointment,
                    start=local_instant(data["day"], data["time"], appointment.location.zone),
                    provider=data["provider"],
                    actor=request.user,
                    override_cutoff=data["override_cutoff"],
                    note=data["note"],
                    access=AccessContext.admin(request),
                )
            except ClinicError as exc:
                form.add_error(None, exc.detail)
            else:
                self.message_user(request, _("The appointment has moved; the patient is e-mailed."))
                return redirect("admin:scheduling_appointment_change", appointment.pk)
        return self._page(
            request,
            "admin/scheduling/form.html",
            _("Reschedule appointment"),
            form=form,
            appointment=appointment,
            when=staff_time(appointment.start, appointment.location),
        )


@admin.register(Notification)
class NotificationAdmin(StaffTimesAdmin, PhiAdminMixin, admin.ModelAdmin):
    phi_patient_field = "appointment__patient"
    staff_times = {
        "starts_at": "location",
        "ends_at": "location",
        "next_attempt_at": "location",
        "sent_at": "location",
        "created_at": "location",
    }
    list_select_related = ("location",)

    def phi_patients(self, pks) -> dict[object, int | None]:
        """The appointment's patient, or the waitlist offer's."""
        patient = Coalesce("appointment__patient", "offer__entry__patient")
        return dict(Notification.objects.filter(pk__in=pks).values_list("pk", patient))

    list_display = ("appointment", "kind", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(location__in=_served_locations(request))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def resend(self, request, queryset):
        for notification in queryset.exclude(status=Notification.Status.SENT):
            notification_resend(notification=notification, access=AccessContext.admin(request))
        self.message_user(request, _("Queued again."))


# The front desk's pages (day board, booking from it, no-show counts) register themselves.
from scheduling import frontdesk_admin  # noqa: E402, F401

# The waitlist's admin lives with it; imported here so the admin's autodiscovery finds it.
from scheduling.waitlist import admin as waitlist_admin  # noqa: E402, F401
