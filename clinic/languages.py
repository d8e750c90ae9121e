"""The page language in URLs: ``?lang=es`` shows a page in Spanish (and keeps that choice in the
language cookie), and each page names its language versions for search engines (``hreflang``).

Without ``lang`` a page is in the visitor's language (the cookie, else ``Accept-Language``): that
URL is the ``x-default`` version; ``?lang=en`` and ``?lang=es`` are the English and Spanish ones.
The API is not concerned: its ``lang`` parameter chooses the content language of one answer and
sets no cookie.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import QueryDict
from django.utils import translation

QUERY_PARAMETER = "lang"


def supported_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def requested_language(request) -> str | None:
    """The supported language a page's ``lang`` parameter asks for, else ``None``."""
    code = request.GET.get(QUERY_PARAMETER, "").strip().lower()
    return code if code in supported_languages() else None


def set_language_cookie(response, language: str | None):
    """Remember the visitor's language (Django's language cookie) on ``response``."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def page_url(request, language: str | None) -> str:
    """The absolute URL of this page in ``language`` (``None``: the ``x-default`` version),
    its other query parameters kept."""
    query = request.GET.copy()
    query.pop(QUERY_PARAMETER, None)
    if language:
        query[QUERY_PARAMETER] = language
    encoded = query.urlencode()
    return f"{settings.SITE_URL}{request.path}{'?' + encoded if encoded else ''}"


def path_without_language(path: str) -> str:
    """A site path with its ``lang`` query parameter removed."""
    base, _sep, query = path.partition("?")
    kept = QueryDict(query, mutable=True)
    kept.pop(QUERY_PARAMETER, None)
    encoded = kept.urlencode()
    return f"{base}?{encoded}" if encoded else base


def canonical_url(request, url: str, languages=None) -> str:
    """``url`` (absolute, no query) for the language version the request asked for, when the
    page exists in it (``languages``, default every supported one)."""
    language = requested_language(request)
    if language is None or language not in (languages or supported_languages()):
        return url
    return f"{url}?{urlencode({QUERY_PARAMETER: language})}"


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    href: str


def page_alternates(request, languages=None) -> list[Alternate]:
    """``<link rel="alternate" hreflang>`` entries of a page that exists in ``languages``
    (default: every supported one): one per language plus ``x-default``; none when the page
    exists in a single language."""
    languages = supported_languages() if languages is None else list(languages)
    if len(languages) < 2:
        return []
    return [Alternate(code, page_url(request, code)) for code in languages] + [
        Alternate("x-default", page_url(request, None))
    ]


class LanguageFromQueryMiddleware:
    """``?lang=xx`` on a page activates that language for the request and stores the choice in
    the language cookie, so the next pages follow. Runs after ``LocaleMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None if request.path.startswith("/api/") else requested_language(request)
        if language is None:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            set_language_cookie(response, language)
        return response
