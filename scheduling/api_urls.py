from django.urls import path

from scheduling import api
from scheduling.waitlist import api as waitlist_api

urlpatterns = [
    path(
        "locations/<slug:slug>/availability/",
        api.LocationAvailabilityApi.as_view(),
        name="location-availability",
    ),
    path("appointments/", api.AppointmentCollectionApi.as_view(), name="appointments"),
    path(
        "appointments/<int:appointment_id>/",
        api.AppointmentDetailApi.as_view(),
        name="appointment-detail",
    ),
    path(
        "appointments/<int:appointment_id>/cancel/",
        api.AppointmentCancelApi.as_view(),
        name="appointment-cancel",
    ),
    path(
        "appointments/<int:appointment_id>/reschedule/",
        api.AppointmentRescheduleApi.as_view(),
        name="appointment-reschedule",
    ),
    path("waitlist/", waitlist_api.WaitlistCollectionApi.as_view(), name="waitlist"),
    path(
        "waitlist/<int:entry_id>/",
        waitlist_api.WaitlistEntryApi.as_view(),
        name="waitlist-entry",
    ),
]
