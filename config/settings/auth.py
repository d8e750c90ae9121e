"""Accounts: the user model, password hashing and rules, log-in and reset limits, and the
django-axes lockout."""

from datetime import timedelta

from config.settings.base import env

AUTH_USER_MODEL = "clinic.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "clinic.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: every password change, whichever path sets it, revokes the API tokens.
    {"NAME": "clinic.validators.PasswordChangeEndsOtherAccess"},
]
LOGIN_URL = "clinic:login"
LOGIN_REDIRECT_URL = "clinic:dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
# Reset e-mails an hour, per address asked for and per client address asking.
PASSWORD_RESET_MAX_PER_ADDRESS = 3
PASSWORD_RESET_MAX_PER_CLIENT = 10
# "Someone tried to sign up with your address" e-mails an hour, per address and per client.
SIGNUP_NOTICE_MAX_PER_ADDRESS = 3
SIGNUP_NOTICE_MAX_PER_CLIENT = 10
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3

# django-axes: after 5 failures an account is locked (whatever the IP) for 15 minutes; so is an
# IP address that fails 5 times across accounts (password spraying).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "clinic.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
# The lock lasts 15 minutes from the fifth failure; trying again meanwhile does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "clinic.auth.lockout_response"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "email"]
