"""The public, read-only API the clinic's website builds its location pages from: locations and
physicians.

Anonymous on purpose: no authentication classes, so a browser's session cookie never changes
an answer or asks for a CSRF token; anonymous throttling applies to every request, cache hits
included. Bodies come from the public response cache (``clinic.public_cache``) with an ETag,
``Cache-Control: public, max-age=60`` and a 304 for a matching ``If-None-Match``. Nothing about
patients, appointments or assessments is ever read here: the next free time is a bare instant.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from clinic import public, public_cache, selectors
from clinic.api.conditional import cached_response, entry_response
from clinic.api.schema import (
    IF_NONE_MATCH,
    NOT_MODIFIED,
    RETRY_AFTER,
    cache_headers,
    error_responses,
)
from clinic.models import Location, Service
from scheduling.api import LocalDateTimeField

LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
CACHED = cache_headers(200, 304)
IN_LANGUAGE = "In the answer's language (`lang`, else `Accept-Language`); English where no "
"translation is filled in."
SLUG = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, required=True, pattern=r"^[-a-zA-Z0-9_]+$"
)


class AddressOutput(serializers.Serializer):
    street = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField(help_text="State or region, e.g. `NJ`.")
    postal_code = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code, e.g. `US`.")


class IntervalOutput(serializers.Serializer):
    opens = serializers.RegexField(LOCAL_TIME, help_text="Local time, 24-hour `HH:MM`.")
    closes = serializers.RegexField(LOCAL_TIME, help_text="Local time, 24-hour `HH:MM`.")


class HoursOutput(serializers.Serializer):
    """Opening intervals per weekday in the location's local time; an empty list: closed."""

    monday = IntervalOutput(many=True)
    tuesday = IntervalOutput(many=True)
    wednesday = IntervalOutput(many=True)
    thursday = IntervalOutput(many=True)
    friday = IntervalOutput(many=True)
    saturday = IntervalOutput(many=True)
    sunday = IntervalOutput(many=True)


class ProviderSummaryOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    credentials = serializers.CharField(help_text="E.g. `MD, FIPP`; may be empty.")


class ProviderProfileOutput(ProviderSummaryOutput):
    specialty = serializers.CharField(source="display_specialty", help_text=IN_LANGUAGE)
    bio = serializers.CharField(source="display_bio", help_text=IN_LANGUAGE)


class ServiceOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(source="display_name", help_text=IN_LANGUAGE)
    category = serializers.ChoiceField(choices=Service.Category.choices)


class NextAvailableOutput(serializers.Serializer):
    type = serializers.CharField(
        help_text=f"Appointment type slug: always `{public.NEXT_AVAILABLE_TYPE}`."
    )
    start = LocalDateTimeField(
        help_text="Local time at the location with its UTC offset, e.g. "
        "`2026-11-02T09:00:00-05:00`."
    )


class ArticleSummaryOutput(serializers.Serializer):
    slug = serializers.SlugField(source="article.slug")
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The article's page on the portal.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, item) -> str:
        return settings.SITE_URL + item.article.get_absolute_url()


class LocationRefOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The location's page on the portal.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, location: Location) -> str:
        return public.location_url(location)


_TYPED = {"@type": {"type": "string"}}
JSON_LD_SCHEMA = {
    "type": "object",
    "description": "A schema.org `MedicalClinic` (JSON-LD) to embed as it is in a "
    '`<script type="application/ld+json">` block. `geo` is present when the coordinates are '
    "known.",
    "properties": {
        "@context": {"type": "string", "format": "uri"},
        "@type": {"type": "string"},
        "@id": {"type": "string", "format": "uri"},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "telephone": {"type": "string"},
        "hasMap": {"type": "string", "format": "uri"},
        "address": {
            "type": "object",
            "properties": {
                **_TYPED,
                **{
                    name: {"type": "string"}
                    for name in (
                        "streetAddress",
                        "addressLocality",
                        "addressRegion",
                        "postalCode",
                        "addressCountry",
                    )
                },
            },
        },
        "geo": {
            "type": "object",
            "properties": {
                **_TYPED,
                "latitude": {"type": "number"},
                "longitude": {"type": "number"},
            },
        },
        "openingHoursSpecification": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    **_TYPED,
                    "dayOfWeek": {"type": "string", "format": "uri"},
                    "opens": {"type": "string", "pattern": LOCAL_TIME},
                    "closes": {"type": "string", "pattern": LOCAL_TIME},
                },
            },
        },
        "employee": {
            "type": "array",
            "description": "The physicians practising there (schema.org `Person`).",
            "items": {
                "type": "object",
                "properties": {
                    **_TYPED,
                    "name": {"type": "string"},
                    "honorificSuffix": {"type": "string"},
                    "jobTitle": {"type": "string"},
                },
            },
        },
        "availableService": {
            "type": "array",
            "items": {"type": "object", "properties": {**_TYPED, "name": {"type": "string"}}},
        },
        "parentOrganization": {
            "type": "object",
            "properties": {
                **_TYPED,
                "name": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
            },
        },
    },
    "required": [
        "@context",
        "@type",
        "@id",
        "name",
        "url",
        "telephone",
        "address",
        "hasMap",
        "openingHoursSpecification",
        "employee",
        "availableService",
        "parentOrganization",
    ],
}


@extend_schema_field(JSON_LD_SCHEMA)
class JsonLdField(serializers.JSONField):
    pass


class JsonNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, answered at once for what nearly every client of a JSON-only
    view sends (no ``Accept``, ``*/*`` or ``application/json``, and no ``format``)."""

    COMMON_ACCEPT = frozenset({"", "*/*", "application/json"})

    @classmethod
    def wants_plain_json(cls, request: HttpRequest) -> bool:
        return (
            request.META.get("HTTP_ACCEPT", "").strip() in cls.COMMON_ACCEPT
            and api_settings.URL_FORMAT_OVERRIDE not in request.GET
        )

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            format_suffix is None
            and len(renderers) == 1
            and renderers[0].media_type == "application/json"
            and self.wants_plain_json(request._request)
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


def cached_operation(
    operation_id: str, output, *errors: int, parameters=(), description: str | None = None
):
    """The OpenAPI description of a cached public read: its 200 and 304, its error bodies
    (429 always), ``If-None-Match`` and the cache headers of its answers."""
    return extend_schema(
        operation_id=operation_id,
        description=description,
        parameters=[*parameters, IF_NONE_MATCH, *CACHED, RETRY_AFTER],
        responses={200: output, 304: NOT_MODIFIED, **error_responses(*errors, 429)},
        auth=[],
    )


class PublicApi(APIView):
    """A cached public read: ``cache_key`` names everything the answer depends on, ``build``
    makes its data, and ``get`` serves it through the public response cache.

    Cache hits are answered before DRF's per-request machinery (wrapping the request,
    negotiating, authenticating, checking permissions), which costs more than the hit itself:
    ``dispatch`` runs the view's throttles as DRF would, on the same anonymous client, and
    sends the cached answer. Anything else takes the full DRF path: a miss, a throttled
    request (DRF then refuses it with the waits already measured, so nothing counts twice),
    another method, an ``Accept`` other than JSON, or parameters that need validating.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes: list = []  # read-only: no request body to parse
    content_negotiation_class = JsonNegotiation
    vary: tuple[str, ...] = ()
    _throttle_waits: list | None = None

    def cache_key(self, request, **kwargs) -> str:
        raise NotImplementedError

    def quick_cache_key(self, request: HttpRequest, **kwargs) -> str | None:
        """The cache key when it can be had without validating anything, else None."""
        return self.cache_key(request, **kwargs)

    def build(self, **kwargs) -> object:
        raise NotImplementedError

    def get(self, request, **kwargs):
        return cached_response(
            request,
            key=self.cache_key(request, **kwargs),
            build=lambda: self.build(**kwargs),
            vary=self.vary,
        )

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and JsonNegotiation.wants_plain_json(request):
            key = self.quick_cache_key(request, **kwargs)
            entry = public_cache.public_cache_lookup(key=key) if key is not None else None
            if entry is not None:
                anonymous = Request(request, authenticators=())
                self._throttle_waits = [
                    throttle.wait()
                    for throttle in self.get_throttles()
                    if not throttle.allow_request(anonymous, self)
                ]
                if not self._throttle_waits:
                    response = entry_response(request, entry, vary=self.vary)
                    response["Allow"] = ", ".join(self.allowed_methods)
                    return response
        return super().dispatch(request, *args, **kwargs)

    def check_throttles(self, request):
        if not self._throttle_waits:
            return super().check_throttles(request)
        self.throttled(
            request, max((w for w in self._throttle_waits if w is not None), default=None)
        )


class LanguageInput(serializers.Serializer):
    lang = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="Language of the answer's texts (service names, physicians' specialties and "
        "bios, article titles and summaries; English where there is no translation); default "
        "from `Accept-Language`.",
    )


class LocalizedPublicApi(PublicApi):
    """A cached public read whose texts are in the request's language: ``lang``, else the best
    match of ``Accept-Language`` (never the cookie, so shared caches only vary on the header).
    Each language has its own cache entry; ``build`` runs with that language active."""

    vary = ("Accept-Language",)
    Input = LanguageInput

    def base_key(self, **kwargs) -> str:
        raise NotImplementedError

    def cache_key(self, request, **kwargs) -> str:
        requested = None
        if "lang" in request.query_params:
            params = self.Input(data=request.query_params)
            params.is_valid(raise_exception=True)
            requested = params.validated_data.get("lang")
        return self._key(request, requested, **kwargs)

    def quick_cache_key(self, request, **kwargs) -> str | None:
        return None if "lang" in request.GET else self._key(request, None, **kwargs)

    def _key(self, request, requested: str | None, **kwargs) -> str:
        self.language = public.public_language(
            requested=requested, accept_language=request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        )
        return f"{self.base_key(**kwargs)}:{self.language}"

    def get(self, request, **kwargs):
        key = self.cache_key(request, **kwargs)

        def build():
            with translation.override(self.language):
                return self.build(**kwargs)

        return cached_response(request, key=key, build=build, vary=self.vary)


class LocationListApi(LocalizedPublicApi):
    class Output(serializers.Serializer):
        slug = serializers.SlugField(source="location.slug")
        name = serializers.CharField(source="location.name")
        address = AddressOutput(source="location")
        phone = serializers.CharField(source="location.phone")
        timezone = serializers.CharField(
            source="location.timezone",
            help_text="IANA time zone; `hours` and `next_available` are local times in it.",
        )
        hours = HoursOutput()
        providers = ProviderSummaryOutput(many=True, help_text="Physicians practising there.")
        services = ServiceOutput(many=True)
        url = serializers.URLField(help_text="The location's page on the portal.")
        next_available = NextAvailableOutput(
            allow_null=True,
            help_text="The next free new consultation (at most a minute old), or null when "
            "none can be booked online in the booking window.",
        )

    def base_key(self):
        return "locations"

    def build(self):
        return self.Output(public.public_location_list(), many=True).data

    @cached_operation(
        "locations_list",
        Output(many=True),
        400,
        parameters=[LanguageInput],
        description="Active locations in display order.",
    )
    def get(self, request):
        return super().get(request)


class LocationDetailApi(LocalizedPublicApi):
    class Output(LocationListApi.Output):
        providers = ProviderProfileOutput(many=True, help_text="Physicians practising there.")
        articles = ArticleSummaryOutput(
            many=True, help_text="Published articles relevant to this location."
        )
        json_ld = JsonLdField()

    def base_key(self, slug: str) -> str:
        return f"location:{slug}"

    def build(self, slug: str):
        return self.Output(public.public_location_get(slug=slug, language=self.language)).data

    @cached_operation(
        "locations_read",
        Output,
        400,
        404,
        parameters=[SLUG, LanguageInput],
        description="One active location, with its physicians' bios, the published articles "
        "relevant to it and its schema.org data.",
    )
    def get(self, request, slug: str):
        return super().get(request, slug=slug)


class ProviderListApi(LocalizedPublicApi):
    class Output(serializers.Serializer):
        slug = serializers.SlugField()
        name = serializers.CharField()
        credentials = serializers.CharField(help_text="E.g. `MD, FIPP`; may be empty.")
        specialty = serializers.CharField(source="display_specialty", help_text=IN_LANGUAGE)
        locations = LocationRefOutput(many=True, help_text="Active locations they practise at.")

    def base_key(self):
        return "providers"

    def build(self):
        return self.Output(selectors.provider_list(), many=True).data

    @cached_operation(
        "providers_list",
        Output(many=True),
        400,
        parameters=[LanguageInput],
        description="Active physicians in display order.",
    )
    def get(self, request):
        return super().get(request)


class ProviderDetailApi(LocalizedPublicApi):
    class Output(ProviderListApi.Output):
        bio = serializers.CharField(source="display_bio", help_text=IN_LANGUAGE)

    def base_key(self, slug: str) -> str:
        return f"provider:{slug}"

    def build(self, slug: str):
        return self.Output(selectors.provider_get(slug=slug)).data

    @cached_operation(
        "providers_read",
        Output,
        400,
        404,
        parameters=[SLUG, LanguageInput],
        description="One active physician with their active locations and bio.",
    )
    def get(self, request, slug: str):
        return super().get(request, slug=slug)
