"""Waitlist API: the patient's own entries (list, join, leave). Another patient's entry is a
404 (recorded as denied). Offers are claimed through the link the patient is e-mailed."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from audit.context import AccessContext
from clinic.api.schema import error_responses
from clinic.api.views import BodyCheckedApiView
from clinic.models import Location, Provider
from clinic.validators import validate_schedulable
from scheduling.models import AppointmentType
from scheduling.waitlist import selectors, services


class WaitlistEntrySerializer(serializers.Serializer):
    """A waitlist entry as its patient sees it (dates are the location's local dates)."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    location = serializers.CharField(source="location.slug", help_text="Location slug.")
    type = serializers.CharField(source="appointment_type.slug", help_text="Appointment type slug.")
    provider = serializers.CharField(
        source="provider.slug",
        allow_null=True,
        default=None,
        help_text="Physician slug; null: any physician.",
    )
    first = serializers.DateField(help_text="Earliest local date wanted.")
    last = serializers.DateField(help_text="Latest local date wanted.")
    created_at = serializers.DateTimeField(help_text="When the patient joined (UTC).")


class WaitlistCollectionApi(BodyCheckedApiView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "booking"

    class Input(serializers.Serializer):
        location = serializers.SlugRelatedField(
            slug_field="slug", queryset=Location.objects.filter(is_active=True)
        )
        type = serializers.SlugRelatedField(
            slug_field="slug", queryset=AppointmentType.objects.filter(is_active=True)
        )
        provider = serializers.SlugRelatedField(
            slug_field="slug",
            queryset=Provider.objects.filter(is_active=True),
            required=False,
            allow_null=True,
            help_text="A physician at the location; omit for any physician.",
        )
        first = serializers.DateField(validators=[validate_schedulable])
        last = serializers.DateField(validators=[validate_schedulable])

    def get_throttles(self):
        self.throttle_scope = "booking" if self.request.method == "POST" else ""
        return super().get_throttles()

    @extend_schema(
        operation_id="waitlist_list",
        responses={200: WaitlistEntrySerializer(many=True), **error_responses(401)},
    )
    def get(self, request):
        entries = selectors.waitlist_entries_for(
            patient=request.user, access=AccessContext.api(request)
        )
        return Response(WaitlistEntrySerializer(entries, many=True).data)

    @extend_schema(
        operation_id="waitlist_create",
        request=Input,
        responses={201: WaitlistEntrySerializer, **error_responses(400, 401, 409, 429)},
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.waitlist_join(
            patient=request.user,
            location=data.validated_data["location"],
            kind=data.validated_data["type"],
            provider=data.validated_data.get("provider"),
            first=data.validated_data["first"],
            last=data.validated_data["last"],
            access=AccessContext.api(request),
        )
        return Response(WaitlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class WaitlistEntryApi(BodyCheckedApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="waitlist_delete",
        request=None,
        responses={204: None, **error_responses(401, 404)},
    )
    def delete(self, request, entry_id: int):
        access = AccessContext.api(request)
        entry = selectors.waitlist_entry_get_for_patient(
            patient=request.user, entry_id=entry_id, access=access
        )
        services.waitlist_leave(patient=request.user, entry_id=entry.pk, access=access)
        return Response(status=status.HTTP_204_NO_CONTENT)
