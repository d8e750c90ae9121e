from django.urls import path

from clinic.api import auth

urlpatterns = [
    path("auth/register/", auth.RegisterApi.as_view(), name="auth-register"),
    path("auth/token/", auth.TokenApi.as_view(), name="auth-token"),
    path("auth/logout/", auth.LogoutApi.as_view(), name="auth-logout"),
    path("me/", auth.MeApi.as_view(), name="me"),
]
