"""``{% warning_signs %}``: the "when to seek care now" box, listing the warning signs of the
current ruleset's emergency and urgent rules (the one source of these lists on every page)."""

from django import template

from triage.selectors import warning_signs_current

register = template.Library()


@register.inclusion_tag("triage/_warning_signs.html", takes_context=True)
def warning_signs(
    context,
    title: str = "",
    urgent: bool = True,
    box_id: str = "seek-care",
    collapse_urgent: bool = False,
) -> dict:
    """``title`` replaces the default heading; ``urgent=False`` lists the emergency signs
    only; ``collapse_urgent`` folds the same-day signs behind a disclosure (short pages)."""
    return {
        "signs": warning_signs_current(),
        "title": title,
        "show_urgent": urgent,
        "collapse_urgent": collapse_urgent,
        "box_id": box_id,
        "CLINIC_EMERGENCY_NUMBER": context.get("CLINIC_EMERGENCY_NUMBER", ""),
        "CLINIC_PHONE": context.get("CLINIC_PHONE", ""),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE", ""),
    }
