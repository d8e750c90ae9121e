"""The front desk in the admin: the day board of a location (every physician side by side,
check-in, completed, no-show, booking requests to confirm or decline), booking for a patient
from the board, and the counts of no-shows and cancellations.

Staff only (the admin site's log-in and two-step verification), with the appointment
permissions: ``view`` to see, ``change`` to act, ``add`` to book. Non-superusers see the
locations they serve; another location's appointment is a 404. Every action is a POST to a
service, which allows only valid transitions and records a history row.
"""

from datetime import date, datetime, time, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.context import AccessContext
from clinic.errors import ClinicError
from clinic.models import Location, Provider, User
from clinic.phones import phone_display
from clinic.timefmt import (
    format_date,
    format_datetime,
    format_time,
    format_time_range,
    zone_label,
)
from scheduling import frontdesk_selectors as selectors
from scheduling.availability import local_date
from scheduling.errors import OverrideRequired
from scheduling.frontdesk_forms import (
    OVERRIDE_CHOICES,
    FreeTimeSearchForm,
    PatientSearchForm,
    StaffBookingForm,
    free_times,
)
from scheduling.frontdesk_services import (
    appointment_book_for_patient,
    appointment_check_in,
    appointment_request_confirm,
    appointment_request_decline,
    booking_overrides_needed,
)
from scheduling.models import Appointment, FrontDeskBoard, NoShowReport
from scheduling.services import appointment_mark
from scheduling.slots import local_instant

Status = Appointment.Status


def served_locations(request):
    locations = Location.objects.filter(is_active=True)
    if request.user.is_superuser:
        return locations
    return locations.filter(pk__in=request.user.served_locations.values("pk"))


def _chosen_location(request, locations) -> Location | None:
    slug = request.GET.get("location") or request.POST.get("location")
    if slug:
        location = locations.filter(slug=slug).first()
        if location is None:
            raise Http404
        return location
    return locations.order_by("sort_order", "name").first()


def _chosen_day(request, location: Location) -> date:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return local_date(timezone.now(), location)


class _FrontDeskAdmin(admin.ModelAdmin):
    """A page in the admin's list of models, on the appointment permissions."""

    def has_module_permission(self, request):
        return request.user.has_perm("scheduling.view_appointment")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("scheduling.view_appointment")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("scheduling.change_appointment")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def appointment_view(self, request, object_id: str):
        """An appointment reached through this page's admin URLs: its own change page."""
        return redirect("admin:scheduling_appointment_change", object_id)

    def _change_url(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return path(
            "<path:object_id>/change/",
            self.admin_site.admin_view(self.appointment_view),
            name=f"{info[0]}_{info[1]}_change",
        )

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


ACTIONS = {
    "check-in": (
        lambda appointment, request: appointment_check_in(
            appointment=appointment, actor=request.user, access=AccessContext.admin(request)
        ),
        gettext_lazy("%(patient)s is checked in."),
    ),
    "complete": (
        lambda appointment, request: appointment_mark(
            appointment=appointment,
            status=Status.COMPLETED,
            actor=request.user,
            access=AccessContext.admin(request),
        ),
        gettext_lazy("%(patient)s: marked completed."),
    ),
    "no-show": (
        lambda appointment, request: appointment_mark(
            appointment=appointment,
            status=Status.NO_SHOW,
            actor=request.user,
            access=AccessContext.admin(request),
        ),
        gettext_lazy("%(patient)s: marked no-show."),
    ),
    "confirm-request": (
        lambda appointment, request: appointment_request_confirm(
            appointment=appointment, actor=request.user, access=AccessContext.admin(request)
        ),
        gettext_lazy("%(patient)s: the booking request is confirmed; the patient is e-mailed."),
    ),
    "decline-request": (
        lambda appointment, request: appointment_request_decline(
            appointment=appointment,
            actor=request.user,
            note=request.POST.get("note", ""),
            access=AccessContext.admin(request),
        ),
        gettext_lazy("%(patient)s: the booking request is declined; the patient is e-mailed."),
    ),
}


def _card(appointment: Appointment, now) -> dict:
    """What the board shows of an appointment, and which actions are valid now."""
    location = appointment.location
    profile = getattr(appointment.patient, "patient_profile", None)
    today = local_date(appointment.start, location) == local_date(now, location)
    started = appointment.start <= now
    status = appointment.status
    return {
        "appointment": appointment,
        "time": format_time(appointment.start, location, with_zone=None),
        "end": format_time(appointment.end, location, with_zone=None),
        "when": format_datetime(appointment.start, location),
        "phone": phone_display(profile.phone) if profile else "",
        "can_check_in": status == Status.CONFIRMED and today,
        "can_complete": status in (Status.ARRIVED, Status.NO_SHOW)
        or (status == Status.CONFIRMED and started),
        "can_no_show": status in (Status.CONFIRMED, Status.COMPLETED) and started,
        "is_request": status == Status.REQUESTED,
        "url": reverse("admin:scheduling_appointment_change", args=[appointment.pk]),
    }


@admin.register(FrontDeskBoard)
class FrontDeskBoardAdmin(_FrontDeskAdmin):
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("", wrap(self.board_view), name="scheduling_frontdeskboard_changelist"),
            path("book/", wrap(self.book_view), name="scheduling_frontdeskboard_book"),
            self._change_url(),
            path(
                "<int:appointment_id>/<slug:action>/",
                wrap(require_POST(self.action_view)),
                name="scheduling_frontdeskboard_action",
            ),
        ]

    def board_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        locations = served_locations(request)
        location = _chosen_location(request, locations)
        context = {"locations": locations.order_by("sort_order", "name"), "location": location}
        if location is not None:
            day = _chosen_day(request, location)
            now = timezone.now()
            board = selectors.board_for(
                location=location, day=day, access=AccessContext.admin(request)
            )
            noon = local_instant(day, time(12), location.zone)
            context.update(
                day=day,
                day_label=format_date(day),
                zone_name=zone_label(noon, location),
                today=local_date(now, location),
                previous=(day - timedelta(days=1)).isoformat(),
                next=(day + timedelta(days=1)).isoformat(),
                columns=[
                    {
                        "provider": column.provider,
                        "cards": [_card(a, now) for a in column.appointments],
                        "working": [
                            format_time_range(start, end, location, with_zone=False)
                            for start, end in column.working
                        ],
                        "time_off": [
                            format_time_range(start, end, location, with_zone=False)
                            for start, end in column.time_off
                        ],
                    }
                    for column in board.columns
                ],
                requests=[_card(a, now) for a in board.requests],
                can_change=self.has_change_permission(request),
                can_book=request.user.has_perm("scheduling.add_appointment"),
                back=request.get_full_path(),
            )
        return self._page(
            request, "admin/scheduling/board/board.html", _("Front desk day board"), **context
        )

    def action_view(self, request, appointment_id: int, action: str):
        if not self.has_change_permission(request) or action not in ACTIONS:
            raise PermissionDenied
        try:
            appointment = selectors.board_appointment(
                locations=served_locations(request), appointment_id=appointment_id
            )
        except Appointment.DoesNotExist as exc:
            raise Http404 from exc
        service, done = ACTIONS[action]
        try:
            service(appointment, request)
        except ClinicError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
        else:
            self.message_user(request, str(done) % {"patient": appointment.patient.display_name})
        back = request.POST.get("next", "")
        board = reverse("admin:scheduling_frontdeskboard_changelist")
        if not back.startswith(board):
            day = local_date(appointment.start, appointment.location)
            back = f"{board}?{urlencode({'location': appointment.location.slug, 'date': day})}"
        return redirect(back)

    def book_view(self, request):
        """Find the patient, choose physician, type and day, pick a free time, book."""
        if not request.user.has_perm("scheduling.add_appointment"):
            raise PermissionDenied
        locations = served_locations(request)
        location = _chosen_location(request, locations)
        if location is None:
            raise Http404
        access = AccessContext.admin(request)
        data = request.POST if request.method == "POST" else request.GET
        context = {"location": location, "locations": locations.order_by("sort_order", "name")}

        patient = None
        if data.get("patient"):
            patient = get_object_or_404(
                User.objects.filter(is_active=True, is_staff=False), pk=data.get("patient")
            )
        search = PatientSearchForm(request.GET if "q" in request.GET else None)
        if patient is None and search.is_bound and search.is_valid():
            context["found"] = [
                {
                    "patient": p,
                    "phone": phone_display(
                        getattr(getattr(p, "patient_profile", None), "phone", "")
                    ),
                }
                for p in selectors.patient_search(query=search.cleaned_data["q"], access=access)
            ]
        context["search"] = search
        context["patient"] = patient
        if patient is None:
            return self._page(
                request, "admin/scheduling/board/book.html", _("Book for a patient"), **context
            )

        profile = getattr(patient, "patient_profile", None)
        context.update(
            phone=phone_display(profile.phone) if profile else "",
            birth=profile.date_of_birth if profile else None,
            no_shows=selectors.no_show_count(patient=patient),
            policy_applies=selectors.no_show_policy_applies(patient=patient),
        )
        initial_day = _chosen_day(request, location)
        choice = FreeTimeSearchForm(
            data if "provider" in data else None,
            location=location,
            initial={"day": initial_day},
        )
        context["choice"] = choice
        if not choice.is_bound or not choice.is_valid():
            return self._page(
                request, "admin/scheduling/board/book.html", _("Book for a patient"), **context
            )
        chosen = choice.cleaned_data
        times = free_times(
            location=location, provider=chosen["provider"], kind=chosen["type"], day=chosen["day"]
        )
        form = StaffBookingForm(
            request.POST if request.method == "POST" else None,
            location=location,
            times=times,
            initial={
                "patient": patient.pk,
                "provider": chosen["provider"].pk,
                "type": chosen["type"].pk,
                "day": chosen["day"],
            },
        )
        if request.method == "POST" and form.is_valid():
            booked = form.cleaned_data
            try:
                appointment = appointment_book_for_patient(
                    patient=patient,
                    provider=booked["provider"],
                    location=location,
                    kind=booked["type"],
                    start=form.start_instant,
                    staff=request.user,
                    overrides=booked["overrides"],
                    reason=booked["reason"],
                    access=access,
                )
            except OverrideRequired as exc:
                labels = dict(OVERRIDE_CHOICES)
                if exc.missing:
                    form.add_error(
                        "overrides",
                        _("This booking needs these overrides, with a reason: %(names)s.")
                        % {"names": "; ".join(str(labels[name]) for name in exc.missing)},
                    )
                else:
                    form.add_error("reason", exc.detail)
            except ClinicError as exc:
                form.add_error(None, exc.detail)
            else:
                self.message_user(
                    request,
                    _("Booked for %(patient)s: %(when)s.")
                    % {
                        "patient": patient.display_name,
                        "when": format_datetime(appointment.start, location),
                    },
                )
                day = local_date(appointment.start, location)
                query = urlencode({"location": location.slug, "date": day.isoformat()})
                return redirect(f"{reverse('admin:scheduling_frontdeskboard_changelist')}?{query}")
        needed = []
        if times:
            first_start = form.fields["start"].choices[0][0]
            needed = booking_overrides_needed(
                patient=patient,
                kind=chosen["type"],
                start=datetime.fromisoformat(first_start),
                now=timezone.now(),
            )
        labels = dict(OVERRIDE_CHOICES)
        context.update(
            form=form,
            times=times,
            chosen=chosen,
            day_label=format_date(chosen["day"]),
            zone_name=zone_label(local_instant(chosen["day"], time(12), location.zone), location),
            needed=[labels[name] for name in needed],
        )
        return self._page(
            request, "admin/scheduling/board/book.html", _("Book for a patient"), **context
        )


@admin.register(NoShowReport)
class NoShowReportAdmin(_FrontDeskAdmin):
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("", wrap(self.report_view), name="scheduling_noshowreport_changelist"),
            self._change_url(),
        ]

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        locations = served_locations(request)
        location = None
        if request.GET.get("location"):
            location = locations.filter(slug=request.GET["location"]).first()
            if location is None:
                raise Http404
        providers = Provider.objects.filter(locations__in=locations).distinct().order_by("name")
        provider = providers.filter(slug=request.GET.get("provider") or "").first()
        month = None
        try:
            month = date.fromisoformat(f"{request.GET.get('month', '')}-01")
        except ValueError:
            month = None
        patient = None
        if request.GET.get("patient"):
            patient = User.objects.filter(pk=request.GET["patient"], is_staff=False).first()
        rows, per_patient = selectors.outcome_counts(
            locations=locations,
            location=location,
            provider=provider,
            patient=patient,
            month=month,
            access=AccessContext.admin(request),
        )
        return self._page(
            request,
            "admin/scheduling/board/report.html",
            _("No-shows and cancellations"),
            locations=locations.order_by("sort_order", "name"),
            location=location,
            providers=providers,
            provider=provider,
            month=month,
            patient=patient,
            rows=[{**row.__dict__, "month_label": format_date_month(row.month)} for row in rows],
            per_patient=per_patient,
            totals={
                "no_shows": sum(row.no_shows for row in rows),
                "cancellations": sum(row.cancellations for row in rows),
                "seen": sum(row.seen for row in rows),
            },
        )


def format_date_month(month: date) -> str:
    return month.strftime("%Y-%m")
