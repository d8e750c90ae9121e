from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("", views.book, name="book"),
    path("hold/", views.hold, name="hold"),
    path("before-booking/", views.emergency_acknowledge, name="before-booking"),
    path("<int:appointment_id>/", views.detail, name="detail"),
    path("<int:appointment_id>/confirm/", views.confirm, name="confirm"),
    path("<int:appointment_id>/release/", views.release, name="release"),
    path("<int:appointment_id>/cancel/", views.cancel, name="cancel"),
    path("<int:appointment_id>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:appointment_id>/calendar.ics", views.calendar_file, name="calendar"),
]
