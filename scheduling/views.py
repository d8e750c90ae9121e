"""Booking pages for patients. They work without JavaScript: every step is a form.

Flow: choose location, type, physician (or first available) and a day -> pick a time (shown in
the location's local time with its zone) -> the time is held for a few minutes -> confirm.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.context import AccessContext
from clinic.errors import ClinicError
from clinic.models import Location
from clinic.selectors import (
    location_default,
    location_for_patient,
    location_list,
    patient_profile_for,
)
from clinic.timefmt import (
    format_date,
    format_datetime,
    format_time,
    format_time_range,
    local,
    zone_label,
)
from scheduling import availability, selectors
from scheduling.forms import (
    EmergencyAcknowledgementForm,
    HoldForm,
    SlotChoiceForm,
    SlotSearchForm,
)
from scheduling.frontdesk_selectors import no_show_policy_applies
from scheduling.gate import booking_symptom_check, booking_triage_gate
from scheduling.ics import METHOD_PUBLISH, appointment_calendar
from scheduling.models import Appointment
from scheduling.services import (
    appointment_cancel,
    appointment_confirm,
    appointment_hold,
    appointment_reschedule,
)

DAYS_SHOWN = 7


@dataclass(frozen=True)
class TimeChoice:
    label: str
    start: str  # ISO 8601 UTC, posted back as is
    provider_slug: str
    provider_name: str


@dataclass(frozen=True)
class DayChoice:
    day: date
    label: str
    count: int
    query: str
    selected: bool


def _get_own(request, appointment_id: int) -> Appointment:
    try:
        return selectors.appointment_get_for_patient(
            patient=request.user, appointment_id=appointment_id, access=AccessContext.web(request)
        )
    except ClinicError as exc:
        raise Http404 from exc


def _slot_picker(
    *,
    location: Location,
    kind,
    provider,
    first: date,
    selected: date | None,
    base: dict,
    exclude: Appointment | None = None,
    jump: bool = False,
) -> dict:
    """Days (with how many times each has) and the selected day's times, for the templates.

    Without a ``selected`` day the first day with free times is shown (the first day when the
    week has none). With ``jump`` (the patient chose no week), a week without free times gives
    way to the week that starts on the next free day."""
    last = first + timedelta(days=DAYS_SHOWN - 1)
    found = availability.availability_for(
        location=location, kind=kind, first=first, last=last, provider=provider, exclude=exclude
    )
    by_day: dict[date, list[TimeChoice]] = {}
    seen: set = set()
    for slot in found:
        if provider is None and slot.start in seen:
            continue  # "first available": one button per time, with the first physician free
        seen.add(slot.start)
        by_day.setdefault(local(slot.start, location).date(), []).append(
            TimeChoice(
                # The picker names the zone once; a repeated fall-back hour names its own.
                label=format_time(slot.start, location, with_zone=None),
                start=slot.start.isoformat(),
                provider_slug=slot.provider.slug,
                provider_name=slot.provider.name,
            )
        )
    if not found and jump:
        nxt = availability.next_available_slot(
            location=location, kind=kind, provider=provider, after=last + timedelta(days=1)
        )
        if nxt is not None:
            return _slot_picker(
                location=location,
                kind=kind,
                provider=provider,
                first=local(nxt.start, location).date(),
                selected=None,
                base=base,
                exclude=exclude,
            )
    if selected is None:
        selected = min(by_day, default=first)
    days = [
        DayChoice(
            day=first + timedelta(days=offset),
            label=format_date(first + timedelta(days=offset)),
            count=len(by_day.get(first + timedelta(days=offset), [])),
            query=urlencode(
                {
                    **base,
                    "day": first.isoformat(),
                    "show": (first + timedelta(days=offset)).isoformat(),
                }
            ),
            selected=first + timedelta(days=offset) == selected,
        )
        for offset in range(DAYS_SHOWN)
    ]
    picker = {
        "days": days,
        "selected_label": format_date(selected),
        "times": by_day.get(selected, []),
        "earlier_query": ""
        if first <= _today(location)
        else urlencode({**base, "day": (first - timedelta(days=DAYS_SHOWN)).isoformat()}),
        "later_query": urlencode({**base, "day": (last + timedelta(days=1)).isoformat()}),
        "zone_name": zone_label(timezone.now(), location),
    }
    if not found:
        nxt = availability.next_available_slot(
            location=location, kind=kind, provider=provider, after=last + timedelta(days=1)
        )
        if nxt is not None:
            next_day = local(nxt.start, location).date()
            picker["next_label"] = format_date(next_day)
            picker["next_query"] = urlencode({**base, "day": next_day.isoformat()})
    return picker


def _today(location: Location) -> date:
    return timezone.now().astimezone(location.zone).date()


def _chosen_days(request, location: Location, first: date | None) -> tuple[date, date | None]:
    """The first day of the week shown (today at the earliest) and the day the patient picked
    in it (``None``: not picked, so the first day with free times)."""
    today = _today(location)
    first = max(first or today, today)
    try:
        shown = date.fromisoformat(request.GET.get("show", ""))
    except ValueError:
        return first, None
    if not first <= shown < first + timedelta(days=DAYS_SHOWN):
        return first, None
    return first, shown


EMERGENCY_ACK_SESSION_KEY = "booking_emergency_ack"


def _emergency_confirmation(request, gate) -> str | None:
    """What the patient confirmed about this emergency result, or ``None`` if not yet asked."""
    ack = request.session.get(EMERGENCY_ACK_SESSION_KEY) or {}
    if ack.get("assessment") == str(gate.assessment.pk):
        return ack.get("confirmation")
    return None


def _emergency_gate(request, gate, form, status: int = 200):
    context = {
        "assessment": gate.assessment,
        "form": form,
        "place": location_for_patient(user=request.user),
    }
    return render(request, "scheduling/emergency_gate.html", context, status=status)


def _earliest_choices(location: Location) -> list[TimeChoice]:
    return [
        TimeChoice(
            label=format_datetime(slot.start, location),
            start=slot.start.isoformat(),
            provider_slug=slot.provider.slug,
            provider_name=slot.provider.name,
        )
        for slot in availability.earliest_slots(location=location)
    ]


@login_required
def book(request):
    """Step one and two: choose where, what, with whom, then a time.

    A recent emergency symptom check shows the emergency advice first and asks the patient to
    confirm before any booking form; a recent urgent one shows the earliest times first."""
    gate = booking_triage_gate(patient=request.user, access=AccessContext.web(request))
    if gate and gate.emergency and _emergency_confirmation(request, gate) is None:
        return _emergency_gate(request, gate, EmergencyAcknowledgementForm())
    locations = location_list()
    initial = {}
    profile = patient_profile_for(user=request.user)
    preferred = (profile and profile.preferred_location) or location_default()
    if preferred:
        initial["location"] = preferred.slug
    form = SlotSearchForm(request.GET or None, locations=locations, initial=initial)
    picker = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        location = data["location"]
        first, shown = _chosen_days(request, location, data["day"])
        base = {
            "location": location.slug,
            "type": data["type"].slug,
            "provider": data["provider"].slug if data["provider"] else "",
        }
        picker = _slot_picker(
            location=location,
            kind=data["type"],
            provider=data["provider"],
            first=first,
            selected=shown,
            base=base,
            jump=data["day"] is None,
        )
        picker["hidden"] = {"location": location.slug, "type": data["type"].slug}
        picker["action"] = reverse("scheduling:hold")
    earliest = None
    if gate and (gate.urgent or gate.soon) and preferred and not form.is_bound:
        earliest = {
            "urgency": gate.assessment.urgency,
            "location": preferred,
            "type": availability.EARLIEST_TYPE,
            "times": _earliest_choices(preferred),
        }
    return render(
        request,
        "scheduling/book.html",
        {"form": form, "picker": picker, "earliest": earliest, "gate": gate},
    )


@login_required
@require_POST
def emergency_acknowledge(request):
    """The patient with a recent emergency result confirms before booking (flagged for staff)."""
    gate = booking_triage_gate(patient=request.user, access=AccessContext.web(request))
    if not (gate and gate.emergency):
        return redirect("scheduling:book")
    form = EmergencyAcknowledgementForm(request.POST)
    if not form.is_valid():
        return _emergency_gate(request, gate, form, status=400)
    request.session[EMERGENCY_ACK_SESSION_KEY] = {
        "assessment": str(gate.assessment.pk),
        "confirmation": form.cleaned_data["confirmation"],
    }
    return redirect("scheduling:book")


@login_required
@require_POST
def hold(request):
    """A time was picked: hold it for a few minutes while the patient confirms."""
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That time could not be read. Please choose it again."))
        return redirect("scheduling:book")
    data = form.cleaned_data
    # The latest symptom check is read once: the gate and the new appointment both use it.
    check = booking_symptom_check(patient=request.user)
    gate = booking_triage_gate(patient=request.user, access=AccessContext.web(request), check=check)
    confirmation = _emergency_confirmation(request, gate) if gate and gate.emergency else ""
    if confirmation is None:
        return redirect("scheduling:book")
    try:
        appointment = appointment_hold(
            patient=request.user,
            provider=data["provider"],
            location=data["location"],
            kind=data["type"],
            start=data["start"],
            emergency_confirmation=confirmation,
            symptom_check=check,
            access=AccessContext.web(request),
        )
    except ClinicError as exc:
        messages.error(request, exc.detail)
        query = urlencode(
            {
                "location": data["location"].slug,
                "type": data["type"].slug,
                "day": local(data["start"], data["location"]).date().isoformat(),
            }
        )
        return redirect(f"{reverse('scheduling:book')}?{query}")
    return redirect("scheduling:detail", appointment_id=appointment.pk)


def _appointment_context(appointment: Appointment) -> dict:
    location = appointment.location
    now = timezone.now()
    return {
        "appointment": appointment,
        "when": format_datetime(appointment.start, location),
        "span": f"{format_date(appointment.start, location)}, "
        f"{format_time_range(appointment.start, appointment.end, location)}",
        "deadline": format_datetime(appointment.change_deadline, location),
        "can_change": appointment.can_change(now=now),
        # Confirming a time this close makes it unchangeable online: the page says so first.
        "confirm_inside_cutoff": appointment.status == Appointment.Status.HELD
        and appointment.inside_cutoff(now=now),
        "hold_until": format_time(appointment.hold_expires_at, location)
        if appointment.hold_expires_at
        else "",
        "hold_lapsed": appointment.status == Appointment.Status.HELD
        and appointment.hold_expires_at <= now,
        # Under the no-show policy the booking will be a request: the page says so first.
        "will_be_request": appointment.status == Appointment.Status.HELD
        and no_show_policy_applies(patient=appointment.patient, now=now),
    }


@login_required
def detail(request, appointment_id: int):
    appointment = _get_own(request, appointment_id)
    return render(request, "scheduling/detail.html", _appointment_context(appointment))


@login_required
@require_POST
def confirm(request, appointment_id: int):
    appointment = _get_own(request, appointment_id)
    try:
        appointment_confirm(
            appointment=appointment, actor=request.user, access=AccessContext.web(request)
        )
    except ClinicError as exc:
        messages.error(request, exc.detail)
        return redirect("scheduling:book")
    appointment.refresh_from_db(fields=["status"])
    if appointment.status == Appointment.Status.REQUESTED:
        messages.success(
            request,
            _(
                "Your booking request is sent and the time is kept for you. The clinic will "
                "confirm it; we will e-mail you either way."
            ),
        )
    else:
        messages.success(
            request, _("Your appointment is booked. We have e-mailed you the details.")
        )
    return redirect("scheduling:detail", appointment_id=appointment.pk)


@login_required
@require_POST
def release(request, appointment_id: int):
    """Give up a hold and go back to the times."""
    appointment = _get_own(request, appointment_id)
    if appointment.status == Appointment.Status.HELD:
        appointment_cancel(
            appointment=appointment, actor=request.user, access=AccessContext.web(request)
        )
    query = urlencode(
        {
            "location": appointment.location.slug,
            "type": appointment.appointment_type.slug,
            "provider": appointment.provider.slug,
            "day": local(appointment.start, appointment.location).date().isoformat(),
        }
    )
    return redirect(f"{reverse('scheduling:book')}?{query}")


@login_required
def cancel(request, appointment_id: int):
    appointment = _get_own(request, appointment_id)
    if request.method == "POST":
        try:
            appointment_cancel(
                appointment=appointment, actor=request.user, access=AccessContext.web(request)
            )
        except ClinicError as exc:
            messages.error(request, exc.detail)
            return redirect("scheduling:detail", appointment_id=appointment.pk)
        messages.success(request, _("Your appointment is cancelled."))
        return redirect("clinic:dashboard")
    return render(request, "scheduling/cancel.html", _appointment_context(appointment))


@login_required
def reschedule(request, appointment_id: int):
    """The same picker at the same location and type; posting a time moves the appointment."""
    appointment = _get_own(request, appointment_id)
    location, kind = appointment.location, appointment.appointment_type
    if request.method == "POST":
        form = SlotChoiceForm(request.POST)
        if form.is_valid():
            try:
                appointment_reschedule(
                    appointment=appointment,
                    start=form.cleaned_data["start"],
                    provider=form.cleaned_data["provider"],
                    actor=request.user,
                    access=AccessContext.web(request),
                )
            except ClinicError as exc:
                messages.error(request, exc.detail)
            else:
                messages.success(request, _("Your appointment has moved. We have e-mailed you."))
                return redirect("scheduling:detail", appointment_id=appointment.pk)
        else:
            messages.error(request, _("That time could not be read. Please choose it again."))
    context = _appointment_context(appointment)
    if context["can_change"]:
        search = SlotSearchForm(
            request.GET or None,
            locations=location_list().filter(pk=location.pk),
            initial={
                "location": location.slug,
                "type": kind.slug,
                "provider": appointment.provider.slug,
            },
        )
        provider = appointment.provider
        chosen = None
        if search.is_bound and search.is_valid():
            provider, chosen = search.cleaned_data["provider"], search.cleaned_data["day"]
        first, shown = _chosen_days(request, location, chosen)
        base = {
            "location": location.slug,
            "type": kind.slug,
            "provider": provider.slug if provider else "",
        }
        picker = _slot_picker(
            location=location,
            kind=kind,
            provider=provider,
            first=first,
            selected=shown,
            base=base,
            exclude=appointment,
            jump=chosen is None,
        )
        picker["hidden"] = {}
        picker["action"] = reverse(
            "scheduling:reschedule", kwargs={"appointment_id": appointment.pk}
        )
        context.update({"form": search, "picker": picker})
    return render(request, "scheduling/reschedule.html", context)


@login_required
def calendar_file(request, appointment_id: int):
    """The appointment as an .ics file for the patient's own calendar (``PUBLISH``: a copy, not
    an invitation to answer)."""
    appointment = _get_own(request, appointment_id)
    if appointment.status not in (Appointment.Status.CONFIRMED, Appointment.Status.COMPLETED):
        raise Http404
    content = appointment_calendar(
        appointment=appointment,
        start=appointment.start,
        end=appointment.end,
        sequence=appointment.sequence,
        method=METHOD_PUBLISH,
        provider=appointment.provider,
        location=appointment.location,
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response
