"""The admin index's count of open critical alerts (one COUNT query, scoped like the queue)."""

from django import template

from triage.selectors import alert_open_critical_count

register = template.Library()


def open_critical_alert_count(context) -> int | None:
    """``None`` for someone who may not see the alert queue."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (
        user.has_perm("triage.view_staffalert") or user.has_perm("triage.change_staffalert")
    ):
        return None
    return alert_open_critical_count(user=user)


@register.inclusion_tag("admin/triage/_open_critical.html", takes_context=True)
def open_critical_alerts_notice(context) -> dict:
    return {"count": open_critical_alert_count(context)}
