from django.urls import path

from scheduling import api

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
]
