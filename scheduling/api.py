"""Booking API: public availability per location, and the patient's own appointments.

Times go out as ISO 8601 in the location's local time with its offset
(``2026-11-02T09:00:00-06:00``); times coming in must carry an offset.
"""

import json
from datetime import datetime, timedelta

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.context import AccessContext
from clinic.api.schema import error_responses
from clinic.api.views import BodyCheckedApiView
from clinic.models import Location, Provider
from clinic.validators import validate_schedulable
from scheduling import availability, selectors
from scheduling.models import Appointment, AppointmentType
from scheduling.services import (
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)

IDEMPOTENCY_KEY_MAX_LENGTH = 255


class AwareDateTimeField(serializers.DateTimeField):
    """An instant: input without a UTC offset is refused rather than guessed, and so is one
    more than ten years from today."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_schedulable])
        super().__init__(**kwargs)

    default_error_messages = {
        "naive": _("Include the UTC offset, e.g. 2026-11-02T09:00:00-06:00."),
    }

    def enforce_timezone(self, value):
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail("naive")
        return value


class LocalDateTimeField(serializers.DateTimeField):
    """Writes an instant in the zone of the location it belongs to (set by the parent)."""

    def to_representation(self, value):
        return value.isoformat()


class AppointmentSerializer(serializers.Serializer):
    """An appointment as its patient sees it."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Appointment.Status.choices)
    start = LocalDateTimeField(help_text="Local time at the location, with its offset.")
    end = LocalDateTimeField(help_text="Local time at the location, with its offset.")
    provider = serializers.CharField(source="provider.slug", help_text="Physician slug.")
    location = serializers.CharField(source="location.slug", help_text="Location slug.")
    type = serializers.CharField(source="appointment_type.slug", help_text="Appointment type slug.")
    timezone = serializers.CharField(source="location.timezone", help_text="IANA time zone.")
    provider_name = serializers.CharField(source="provider.name")
    location_name = serializers.CharField(source="location.name")
    type_name = serializers.CharField(source="appointment_type.display_name")
    change_deadline = LocalDateTimeField(
        help_text="Until this moment the patient may cancel or reschedule online."
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        zone = instance.location.zone
        for name, value in (
            ("start", instance.start),
            ("end", instance.end),
            ("change_deadline", instance.change_deadline),
        ):
            data[name] = value.astimezone(zone).isoformat()
        return data


class SlotSerializer(serializers.Serializer):
    """A free slot (the availability response builds these dicts directly: it is the hot path)."""

    start = serializers.DateTimeField(help_text="Local time at the location, with its offset.")
    end = serializers.DateTimeField(help_text="Local time at the location, with its offset.")
    provider = serializers.CharField(help_text="Physician slug.")


def availability_json(
    *, location: Location, kind: AppointmentType, found: list[tuple[int, str, int]]
) -> bytes:
    """The availability answer's JSON, byte for byte what DRF's ``JSONRenderer`` makes of
    ``{"location", "timezone", "type", "slots": [{"start", "end", "provider"}]}`` (compact, not
    ASCII-escaped), written directly: a month of a busy location is thousands of slots, and
    building a dict for each costs more than the rest of the request."""
    zone = location.zone
    # Physicians share times and a kind has one duration, so each distinct (start, end) pair is
    # formatted once, and each physician's quoted slug too.
    times: dict[tuple[int, int], str] = {}
    quoted: dict[str, str] = {}
    for start, physician, end in found:
        if (start, end) not in times:
            times[start, end] = (
                f'{{"start":"{datetime.fromtimestamp(start, zone).isoformat()}",'
                f'"end":"{datetime.fromtimestamp(end, zone).isoformat()}","provider":'
            )
        if physician not in quoted:
            quoted[physician] = json.dumps(physician, ensure_ascii=False) + "}"
    head = json.dumps(
        {"location": location.slug, "timezone": location.timezone, "type": kind.slug},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    slots = ",".join([times[start, end] + quoted[physician] for start, physician, end in found])
    return f'{head[:-1]},"slots":[{slots}]}}'.encode()


AVAILABILITY_RESPONSE_SECONDS = 30


def _appointment_data(appointment: Appointment) -> dict:
    return AppointmentSerializer(appointment).data


class LocationAvailabilityApi(APIView):
    """Free slots at a location (public: the clinic's website shows them).

    Whole answers are kept by the short path of public reads (``portal.middleware``) for
    ``AVAILABILITY_RESPONSE_SECONDS``, and used only while no new cache generation was
    announced: an appointment written (booked, moved, cancelled, declined) or a schedule edited
    starts and announces a new one when it commits (``portal.public_cache``), so a taken slot
    is never offered once its booking committed. Time passing alone (a slot entering the minimum
    notice, a hold lapsing) shows within that time; booking checks the slot anew anyway.
    """

    public_read = True  # anonymous GETs skip the session, CSRF and auth middlewares
    public_response_seconds = AVAILABILITY_RESPONSE_SECONDS
    public_response_worker_memory = False
    authentication_classes: list = []
    permission_classes = [AllowAny]

    class Input(serializers.Serializer):
        type = serializers.SlugRelatedField(
            slug_field="slug",
            queryset=AppointmentType.objects.filter(is_active=True),
            help_text="Appointment type slug, e.g. `new-consultation`.",
        )
        start = serializers.DateField(
            validators=[validate_schedulable],
            help_text="First local date, YYYY-MM-DD (inclusive).",
        )
        end = serializers.DateField(
            validators=[validate_schedulable],
            help_text=f"Last local date, YYYY-MM-DD (inclusive); at most "
            f"{availability.MAX_RANGE_DAYS} days from `start`.",
        )
        provider = serializers.SlugField(
            required=False, help_text="Only this physician (slug); default: every physician."
        )

        def validate_provider(self, slug: str) -> Provider:
            provider = Provider.objects.filter(
                slug=slug, is_active=True, locations=self.context["location"]
            ).first()
            if provider is None:
                raise serializers.ValidationError(_("No such physician at this location."))
            return provider

        def validate(self, data):
            if data["end"] < data["start"]:
                raise serializers.ValidationError({"end": _("The end is before the start.")})
            if data["end"] - data["start"] >= timedelta(days=availability.MAX_RANGE_DAYS):
                raise serializers.ValidationError(
                    {
                        "end": _("The range can be at most %(days)s days.")
                        % {"days": availability.MAX_RANGE_DAYS}
                    }
                )
            return data

    class Output(serializers.Serializer):
        location = serializers.CharField(help_text="Location slug.")
        timezone = serializers.CharField(help_text="IANA time zone of the location.")
        type = serializers.CharField(help_text="Appointment type slug.")
        slots = SlotSerializer(many=True, help_text="Sorted by start, then physician slug.")

    @extend_schema(
        operation_id="location_availability",
        parameters=[Input],
        responses={200: Output, **error_responses(400, 404, 429)},
        auth=[],
    )
    def get(self, request, slug: str):
        location = selectors.location_for_booking(slug=slug)
        data = self.Input(data=request.query_params, context={"location": location})
        data.is_valid(raise_exception=True)
        kind = data.validated_data["type"]
        found = availability.availability_seconds_for(
            location=location,
            kind=kind,
            first=data.validated_data["start"],
            last=data.validated_data["end"],
            provider=data.validated_data.get("provider"),
        )
        return HttpResponse(
            availability_json(location=location, kind=kind, found=found),
            content_type="application/json",
        )


class AppointmentCollectionApi(ListAPIView):
    """The patient's appointments: list them (own only, paginated), or book one."""

    permission_classes = [IsAuthenticated]
    serializer_class = AppointmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator, not a patient
            return Appointment.objects.none()
        return selectors.appointment_list_for_patient(
            patient=self.request.user, access=AccessContext.api(self.request)
        )

    class Input(serializers.Serializer):
        location = serializers.SlugRelatedField(
            slug_field="slug", queryset=Location.objects.filter(is_active=True)
        )
        type = serializers.SlugRelatedField(
            slug_field="slug", queryset=AppointmentType.objects.filter(is_active=True)
        )
        provider = serializers.SlugRelatedField(
            slug_field="slug", queryset=Provider.objects.filter(is_active=True)
        )
        start = AwareDateTimeField(help_text="A start offered by availability, with its offset.")

    def get_throttles(self):
        self.throttle_scope = "booking" if self.request.method == "POST" else ""
        return super().get_throttles()

    @extend_schema(
        operation_id="appointments_list",
        responses={200: AppointmentSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="appointments_create",
        request=Input,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Repeat a request with the same key to get the same appointment "
                "back (201) without booking twice.",
            )
        ],
        responses={201: AppointmentSerializer, **error_responses(400, 401, 409, 429)},
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
            raise serializers.ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = appointment_book(
            patient=request.user,
            provider=data.validated_data["provider"],
            location=data.validated_data["location"],
            kind=data.validated_data["type"],
            start=data.validated_data["start"],
            idempotency_key=key,
            access=AccessContext.api(request),
        )
        return Response(_appointment_data(appointment), status=status.HTTP_201_CREATED)


class AppointmentDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="appointments_read",
        responses={200: AppointmentSerializer, **error_responses(401, 404)},
    )
    def get(self, request, appointment_id: int):
        appointment = selectors.appointment_get_for_patient(
            patient=request.user, appointment_id=appointment_id, access=AccessContext.api(request)
        )
        return Response(_appointment_data(appointment))


class AppointmentCancelApi(BodyCheckedApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="appointments_cancel",
        request=None,
        responses={200: AppointmentSerializer, **error_responses(401, 404, 409)},
    )
    def post(self, request, appointment_id: int):
        appointment = selectors.appointment_get_for_patient(
            patient=request.user, appointment_id=appointment_id, access=AccessContext.api(request)
        )
        appointment = appointment_cancel(
            appointment=appointment, actor=request.user, access=AccessContext.api(request)
        )
        return Response(_appointment_data(appointment))


class AppointmentRescheduleApi(BodyCheckedApiView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "booking"

    class Input(serializers.Serializer):
        start = AwareDateTimeField(help_text="A start offered by availability, with its offset.")
        provider = serializers.SlugRelatedField(
            slug_field="slug",
            queryset=Provider.objects.filter(is_active=True),
            required=False,
            help_text="Another physician at the same location; default: the same one.",
        )

    @extend_schema(
        operation_id="appointments_reschedule",
        request=Input,
        responses={200: AppointmentSerializer, **error_responses(400, 401, 404, 409, 429)},
    )
    def post(self, request, appointment_id: int):
        appointment = selectors.appointment_get_for_patient(
            patient=request.user, appointment_id=appointment_id, access=AccessContext.api(request)
        )
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = appointment_reschedule(
            appointment=appointment,
            start=data.validated_data["start"],
            provider=data.validated_data.get("provider"),
            actor=request.user,
            access=AccessContext.api(request),
        )
        return Response(_appointment_data(appointment))
