"""The patient dashboard's appointments section."""

from django.utils import timezone

from audit.context import AccessContext
from clinic.timefmt import format_datetime
from scheduling.selectors import appointments_for_dashboard
from scheduling.waitlist.selectors import waitlist_entries_for
from scheduling.waitlist.views import entry_rows

PAST_SHOWN = 10


def section(request) -> dict | None:
    now = timezone.now()
    appointments = appointments_for_dashboard(
        patient=request.user, now=now, access=AccessContext.web(request)
    )

    def rows(items):
        return [
            {
                "appointment": a,
                "when": format_datetime(a.start, a.location),
                "can_change": a.can_change(now=now),
            }
            for a in items
        ]

    return {
        "template": "scheduling/_dashboard.html",
        "upcoming": rows(appointments.upcoming),
        "past": rows(appointments.past[:PAST_SHOWN]),
        "waitlist": entry_rows(
            waitlist_entries_for(patient=request.user, now=now, access=AccessContext.web(request))
        ),
    }
