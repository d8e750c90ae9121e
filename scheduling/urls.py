from django.urls import path

from scheduling import views
from scheduling.waitlist import views as waitlist_views

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
    path("waitlist/", waitlist_views.waitlist, name="waitlist"),
    path("waitlist/<int:entry_id>/leave/", waitlist_views.leave, name="waitlist-leave"),
    path("waitlist/offers/<str:token>/", waitlist_views.offer, name="waitlist-offer"),
]
