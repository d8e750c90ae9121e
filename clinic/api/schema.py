"""Shared pieces for describing the API in OpenAPI (drf-spectacular)."""

from drf_spectacular.openapi import AutoSchema as _AutoSchema
from drf_spectacular.utils import OpenApiResponse

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
