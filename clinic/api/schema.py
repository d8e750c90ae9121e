"""Shared pieces for describing the API in OpenAPI (drf-spectacular)."""

from drf_spectacular.openapi import AutoSchema as _AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from clinic.api.errors import ErrorSerializer


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """The ``{"code", "detail"}`` body for each error status a view can answer with."""
    descriptions = {
        400: "Invalid input; `errors` names the offending fields.",
        401: "Not authenticated, or wrong credentials.",
        403: "Authenticated but not allowed.",
        404: "Not found (also for another patient's object).",
        409: "Conflict with the current state.",
        413: "Request body too large.",
        415: "Unsupported media type.",
        429: "Too many requests; see the Retry-After header.",
    }
    return {
        status: OpenApiResponse(ErrorSerializer, description=descriptions.get(status, "Error."))
        for status in statuses
    }


class AutoSchema(_AutoSchema):
    """Name nested ``Input``/``Output`` serializers after their view (``RegisterApi.Input`` ->
    ``RegisterInput``) so every APIView can keep its own short-named serializers."""

    def get_serializer_name(self, serializer, direction):
        cls = serializer if isinstance(serializer, type) else serializer.__class__
        outer, _sep, inner = cls.__qualname__.rpartition(".")
        if outer and "<locals>" not in outer:
            return outer.split(".")[-1].removesuffix("Api") + inner
        return super().get_serializer_name(serializer, direction)


# Conditional GET and caching, for the public read-only endpoints served from the cache.
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag of your cached copy: 304 Not Modified (no body) while it is current.",
)
NOT_MODIFIED = OpenApiResponse(description="Not modified: your cached copy is current.")


def cache_headers(*statuses: int) -> list[OpenApiParameter]:
    """The response headers of a cached public answer (the 200 and its 304)."""
    return [
        OpenApiParameter(
            "ETag",
            str,
            OpenApiParameter.HEADER,
            required=True,
            response=list(statuses),
            description="Strong validator of the body; send it back in `If-None-Match`.",
        ),
        OpenApiParameter(
            "Cache-Control",
            str,
            OpenApiParameter.HEADER,
            required=True,
            response=list(statuses),
            description="`public, max-age=60`: any cache may keep the answer for a minute.",
        ),
        OpenApiParameter(
            "Age",
            int,
            OpenApiParameter.HEADER,
            required=True,
            response=list(statuses),
            description="Seconds since the body was built; together with `max-age` it keeps "
            "copies at most a minute behind.",
        ),
    ]


RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    required=True,
    response=[429],
    description="Seconds to wait before asking again.",
)


def document_bad_request(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation may answer 400, at the least for a
    NUL character in its query string or body (``clinic.middleware.NullCharacterMiddleware``,
    ``clinic.api.parsers``), so every operation documents the 400 error body."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation["responses"].setdefault(
                "400",
                {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                    "description": "Invalid input, such as a NUL character in a parameter or "
                    "the body.",
                },
            )
    return result
