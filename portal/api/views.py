"""The public, read-only API the clinic's website builds its location pages from: locations and
physicians.

Served through the public API's caching framework (``portal.api.caching``): anonymous,
throttled, cached with an ETag, ``Cache-Control: public, max-age=60`` and a 304 for a matching
``If-None-Match``. Nothing about patients, appointments or assessments is ever read here: the
next free time is a bare instant.
"""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from clinic import selectors
from portal import selectors as public
from portal.api.caching import LanguageInput, LocalizedPublicApi, cached_operation
from portal.api.json_ld import JsonLdField
from portal.api.serializers import (
    IN_LANGUAGE,
    AddressOutput,
    ArticleSummaryOutput,
    HoursOutput,
    LocationRefOutput,
    NextAvailableOutput,
    ProviderProfileOutput,
    ProviderSummaryOutput,
    ServiceOutput,
)

SLUG = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, required=True, pattern=r"^[-a-zA-Z0-9_]+$"
)


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
