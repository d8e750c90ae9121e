from django.urls import path

from clinic.api import auth, public

urlpatterns = [
    path("auth/register/", auth.RegisterApi.as_view(), name="auth-register"),
    path("auth/token/", auth.TokenApi.as_view(), name="auth-token"),
    path("auth/logout/", auth.LogoutApi.as_view(), name="auth-logout"),
    path("me/", auth.MeApi.as_view(), name="me"),
    path("locations/", public.LocationListApi.as_view(), name="api-location-list"),
    path("locations/<slug:slug>/", public.LocationDetailApi.as_view(), name="api-location-detail"),
    path("providers/", public.ProviderListApi.as_view(), name="api-provider-list"),
    path("providers/<slug:slug>/", public.ProviderDetailApi.as_view(), name="api-provider-detail"),
]
