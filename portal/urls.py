"""The portal's pages. ``config.urls`` serves them under the names they always had: the home
page as ``home``, the others in the ``clinic`` namespace beside the account pages
(``clinic:dashboard``, ``clinic:location-list``, ``clinic:location-detail``), so no link or
redirect anywhere changed."""

from django.urls import path

from portal import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("locations/", views.location_list, name="location-list"),
    path("locations/<slug:slug>/", views.location_detail, name="location-detail"),
]
