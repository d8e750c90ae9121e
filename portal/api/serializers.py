"""What the public API answers with: the output serializers of locations, physicians, services,
opening hours, the next free consultation and the articles of a location."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinic.models import Location, Service
from portal import selectors as public
from scheduling.api import LocalDateTimeField

LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
IN_LANGUAGE = (
    "In the answer's language (`lang`, else `Accept-Language`); English where no "
    "translation is filled in."
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
