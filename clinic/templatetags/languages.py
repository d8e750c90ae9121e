"""``{% language_alternates %}``: the ``hreflang`` links of the page (``clinic.languages``).

A view whose page exists in fewer languages than the site's sets ``alternate_languages`` (an
article without a translation: ``["en"]``, so no alternates).
"""

from django import template
from django.utils.html import format_html_join

from clinic.languages import page_alternates, path_without_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context) -> str:
    request = context.get("request")
    if request is None or request.method not in ("GET", "HEAD"):
        return ""
    alternates = page_alternates(request, context.get("alternate_languages"))
    return format_html_join(
        "\n  ",
        '<link rel="alternate" hreflang="{}" href="{}">',
        ((item.hreflang, item.href) for item in alternates),
    )


@register.filter
def without_lang(path: str) -> str:
    """The path without its ``lang`` parameter (the language switch's return address, so the
    button pressed decides the language rather than the parameter)."""
    return path_without_language(path)
