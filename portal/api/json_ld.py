"""The OpenAPI description of a location's schema.org ``MedicalClinic`` (JSON-LD), as
``portal.seo`` builds it."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import LOCAL_TIME

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
