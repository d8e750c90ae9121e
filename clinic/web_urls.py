from django.urls import path

from clinic import views, views_security

app_name = "clinic"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/check-your-email/", views.signup_sent, name="signup-sent"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/verify-email/resend/", views.resend_verification, name="resend-verification"),
    path("accounts/verify-email/<str:token>/", views.verify_email, name="verify-email"),
    path("accounts/password-reset/", views.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("accounts/password/change/", views.password_change, name="password_change"),
    path("accounts/password/change/done/", views.password_change_done, name="password_change_done"),
    path("accounts/mfa/", views_security.mfa_overview, name="mfa"),
    path("accounts/mfa/setup/", views_security.mfa_setup, name="mfa-setup"),
    path("accounts/mfa/verify/", views_security.mfa_verify_view, name="mfa-verify"),
    path(
        "accounts/mfa/recovery-codes/", views_security.mfa_recovery_codes, name="mfa-recovery-codes"
    ),
    path("accounts/mfa/turn-off/", views_security.mfa_turn_off, name="mfa-turn-off"),
    path("accounts/session/status/", views_security.session_status, name="session-status"),
    path("accounts/session/keepalive/", views_security.session_keepalive, name="session-keepalive"),
]
