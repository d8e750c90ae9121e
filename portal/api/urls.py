from django.urls import path

from portal.api import views

urlpatterns = [
    path("locations/", views.LocationListApi.as_view(), name="api-location-list"),
    path("locations/<slug:slug>/", views.LocationDetailApi.as_view(), name="api-location-detail"),
    path("providers/", views.ProviderListApi.as_view(), name="api-provider-list"),
    path("providers/<slug:slug>/", views.ProviderDetailApi.as_view(), name="api-provider-detail"),
]
