"""The waitlist in the admin, read-only: who waits for what (in the order offers go out) and
the offers made. Staff see the locations they serve; reads are recorded in the PHI log."""

from django.contrib import admin

from audit.admin_mixins import PhiAdminMixin
from clinic.admin_display import StaffTimesAdmin
from clinic.models import Location
from scheduling.waitlist.models import WaitlistEntry, WaitlistOffer

# An offer's times, in its entry's location's zone.
OFFER_TIMES = dict.fromkeys(("start", "created_at", "expires_at", "closed_at"), "entry__location")


def _served(request):
    if request.user.is_superuser:
        return Location.objects.all()
    return request.user.served_locations.all()


class ReadOnlyAdmin(StaffTimesAdmin, PhiAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfferInline(StaffTimesAdmin, admin.TabularInline):
    model = WaitlistOffer
    extra = 0
    can_delete = False
    fields = ("provider", "start", "status", "created_at", "expires_at", "closed_at", "appointment")
    readonly_fields = fields
    staff_times = OFFER_TIMES

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "patient",
        "location",
        "appointment_type",
        "provider",
        "first",
        "last",
        "status",
    )
    list_filter = ("status", "location", "appointment_type")
    search_fields = ("patient__email", "patient__last_name")
    list_select_related = ("patient", "location", "appointment_type", "provider")
    fields = (
        "patient",
        "location",
        "appointment_type",
        "provider",
        "first",
        "last",
        "status",
        "created_at",
        "ended_at",
    )
    readonly_fields = fields
    staff_times = {"created_at": "location", "ended_at": "location"}
    inlines = [OfferInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(location__in=_served(request))


@admin.register(WaitlistOffer)
class WaitlistOfferAdmin(ReadOnlyAdmin):
    phi_patient_field = "entry__patient"
    list_display = ("start", "provider", "entry", "status", "expires_at", "closed_at")
    list_filter = ("status",)
    list_select_related = ("provider", "entry__location")
    fields = ("entry", "provider", "start", "status", "created_at", "expires_at", "closed_at")
    readonly_fields = fields
    staff_times = OFFER_TIMES

    def get_queryset(self, request):
        return super().get_queryset(request).filter(entry__location__in=_served(request))
