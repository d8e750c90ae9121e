"""The patient's waitlist pages: join (from the booking page or the dashboard), see and leave
entries, and the claim page an offer's link opens. Every page works without JavaScript."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.context import AccessContext
from clinic.errors import ClinicError, NotFound
from clinic.selectors import location_default, location_list, patient_profile_for
from clinic.timefmt import LONG, format_date, format_datetime
from scheduling.errors import WaitlistOfferClosed
from scheduling.waitlist import links, selectors, services
from scheduling.waitlist.forms import WaitlistJoinForm
from scheduling.waitlist.models import WaitlistOffer

DEFAULT_SPAN = timedelta(days=14)


def entry_rows(entries) -> list[dict]:
    """What the pages show of each entry: the dates in words, the physician or "any"."""
    return [
        {
            "entry": entry,
            "dates": _("%(first)s to %(last)s")
            % {
                "first": format_date(entry.first, form=LONG),
                "last": format_date(entry.last, form=LONG),
            },
            "physician": entry.provider.name if entry.provider else _("Any physician"),
        }
        for entry in entries
    ]


def _join_form(request):
    today = timezone.localdate()
    profile = patient_profile_for(user=request.user)
    preferred = (profile and profile.preferred_location) or location_default()
    initial = {"day": today + timedelta(days=1), "last": today + DEFAULT_SPAN}
    if preferred:
        initial["location"] = preferred.slug
    for name in ("location", "type", "provider", "day"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    data = request.POST if request.method == "POST" else None
    return WaitlistJoinForm(data, locations=location_list(), initial=initial)


@login_required
def waitlist(request):
    """The patient's entries and the form to join."""
    access = AccessContext.web(request)
    form = _join_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.waitlist_join(
                patient=request.user,
                location=data["location"],
                kind=data["type"],
                provider=data["provider"],
                first=data["day"],
                last=data["last"],
                access=access,
            )
        except ClinicError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(
                request,
                _("You are on the waitlist. We will e-mail you if a matching time frees up."),
            )
            return redirect("scheduling:waitlist")
    entries = selectors.waitlist_entries_for(patient=request.user, access=access)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "scheduling/waitlist.html",
        {
            "form": form,
            "rows": entry_rows(entries),
            "offer_minutes": settings.SCHEDULING_WAITLIST_OFFER_MINUTES,
        },
        status=status,
    )


@login_required
@require_POST
def leave(request, entry_id: int):
    access = AccessContext.web(request)
    try:
        entry = selectors.waitlist_entry_get_for_patient(
            patient=request.user, entry_id=entry_id, access=access
        )
    except NotFound as exc:
        raise Http404 from exc
    services.waitlist_leave(patient=request.user, entry_id=entry.pk, access=access)
    messages.success(request, _("You have left the waitlist."))
    return redirect("scheduling:waitlist")


def _offer_page(request, offer: WaitlistOffer, *, status: int = 200, taken: str = ""):
    location = offer.entry.location
    now = timezone.now()
    return render(
        request,
        "scheduling/waitlist_offer.html",
        {
            "offer": offer,
            "open": offer.is_open(now=now),
            "when": format_datetime(offer.start, location),
            "until": format_datetime(offer.expires_at, location),
            "location": location,
            "taken": taken,
        },
        status=status,
    )


@login_required
def offer(request, token: str):
    """The claim link: the offer, and buttons to take or decline it. A link of another
    patient's offer, or a forged one, is a 404; a link past its time, a friendly page."""
    access = AccessContext.web(request)
    try:
        offer_id = links.offer_id_from(token)
    except links.LinkExpired:
        return render(request, "scheduling/waitlist_offer_expired.html", status=410)
    if offer_id is None:
        raise Http404
    try:
        found = selectors.waitlist_offer_get_for_patient(
            patient=request.user, offer_id=offer_id, access=access
        )
    except NotFound as exc:
        raise Http404 from exc
    if request.method != "POST":
        if found.status == WaitlistOffer.Status.CLAIMED and found.appointment_id:
            return redirect("scheduling:detail", appointment_id=found.appointment_id)
        return _offer_page(request, found)
    if request.POST.get("action") == "decline":
        services.waitlist_offer_decline(patient=request.user, offer_id=offer_id, access=access)
        messages.success(
            request, _("We have offered this time to someone else. You stay on the waitlist.")
        )
        return redirect("scheduling:waitlist")
    try:
        appointment = services.waitlist_offer_claim(
            patient=request.user, offer_id=offer_id, access=access
        )
    except WaitlistOfferClosed:
        return render(request, "scheduling/waitlist_offer_expired.html", status=410)
    except ClinicError as exc:
        found.refresh_from_db()
        return _offer_page(request, found, status=409, taken=exc.detail)
    messages.success(request, _("Your appointment is booked. We have e-mailed you the details."))
    return redirect("scheduling:detail", appointment_id=appointment.pk)
