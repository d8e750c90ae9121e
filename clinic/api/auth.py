"""Account API for the website and the mobile app: register, token log-in/out, own profile."""

from django.contrib.auth import authenticate
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.context import AccessContext
from clinic.api.errors import ErrorSerializer
from clinic.api.schema import error_responses
from clinic.api.views import BodyCheckedApiView
from clinic.auth import lockout_response
from clinic.errors import ClinicError
from clinic.models import Language, Location, User
from clinic.phones import PhoneSerializerField
from clinic.selectors import patient_account_for
from clinic.services import (
    api_token_log_in,
    api_token_revoke,
    patient_profile_update,
    patient_register,
)
from clinic.validators import validate_date_of_birth


class InvalidCredentials(ClinicError):
    code = "invalid_credentials"
    status_code = 401
    default_detail = _("The e-mail address or password is incorrect.")


class ProfileOutput(serializers.Serializer):
    email = serializers.EmailField()
    email_verified = serializers.BooleanField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    phone = serializers.CharField(
        source="patient_profile.phone", default="", help_text="E.164, e.g. `+16095550142`."
    )
    date_of_birth = serializers.DateField(
        source="patient_profile.date_of_birth", default=None, allow_null=True
    )
    preferred_location = serializers.CharField(
        source="patient_profile.preferred_location.slug",
        default=None,
        allow_null=True,
        help_text="Slug of the preferred location, or null.",
    )
    preferred_language = serializers.ChoiceField(
        source="patient_profile.preferred_language", choices=Language.choices, default="en"
    )
    sms_opt_in = serializers.BooleanField(
        source="patient_profile.sms_opt_in",
        default=False,
        help_text="Appointment notices by text message too, to `phone` (required to opt in).",
    )


def _profile_data(user: User, access: AccessContext | None = None) -> dict:
    """The profile as the API shows it; ``access`` records the read (a change that answers
    with the profile it made is recorded by its service already)."""
    return ProfileOutput(patient_account_for(user=user, access=access)).data


class RegisterApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    class Input(serializers.Serializer):
        email = serializers.EmailField(max_length=254)
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        first_name = serializers.CharField(max_length=150)
        last_name = serializers.CharField(max_length=150)
        phone = PhoneSerializerField(required=False, allow_blank=True, default="")
        date_of_birth = serializers.DateField(
            required=False, allow_null=True, default=None, validators=[validate_date_of_birth]
        )
        preferred_language = serializers.ChoiceField(
            choices=Language.choices, required=False, default=""
        )

    class Output(serializers.Serializer):
        email = serializers.EmailField(help_text="The address, as the account would store it.")
        email_verified = serializers.BooleanField(help_text="Always false: check your e-mail.")
        first_name = serializers.CharField()
        last_name = serializers.CharField()
        phone = serializers.CharField(help_text="E.164, e.g. `+16095550142`.")
        date_of_birth = serializers.DateField(allow_null=True)
        preferred_location = serializers.CharField(allow_null=True, help_text="Always null.")
        preferred_language = serializers.ChoiceField(choices=Language.choices)
        detail = serializers.CharField(help_text="What happens next, for the person.")

    @extend_schema(
        operation_id="auth_register",
        description=(
            "Sign up. The answer is the same whether or not the address already has an "
            "account (201, the submitted profile and a `detail` saying to check the e-mail), "
            "so it tells nobody who has an account: a new address gets the e-mail that confirms "
            "it (its link signs the person in), the owner of a taken address an e-mail saying "
            "someone tried to sign up with it. Log in with `POST /api/v1/auth/token/`."
        ),
        request=Input,
        responses={201: Output, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        language = given["preferred_language"] or translation.get_language() or "en"
        patient_register(**given, access=AccessContext.api(request))
        body = {
            "email": User.objects.normalize_email(given["email"].strip()).lower(),
            "email_verified": False,
            "first_name": given["first_name"],
            "last_name": given["last_name"],
            "phone": given["phone"],
            "date_of_birth": given["date_of_birth"],
            "preferred_location": None,
            "preferred_language": language,
            "detail": _(
                "Thank you. We have sent an e-mail to this address: open the link in it to "
                "confirm the address and finish signing up."
            ),
        }
        return Response(self.Output(body).data, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    class Input(serializers.Serializer):
        email = serializers.EmailField(max_length=254)
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        otp = serializers.CharField(
            max_length=32,
            required=False,
            allow_blank=True,
            default="",
            help_text="Two-step verification: a current 6-digit code from the authenticator "
            "app, or an unused recovery code. Required for accounts with a confirmed "
            "authenticator (and for staff); without it the answer is 401 `mfa_required`, "
            "with a wrong one 401 `invalid_otp`.",
        )

    class Output(serializers.Serializer):
        token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
        expiry = serializers.DateTimeField()

    @extend_schema(
        operation_id="auth_token",
        description=(
            "Log in with the e-mail address and password (and `otp` when the account uses "
            "two-step verification) for a token that expires. Five wrong passwords lock the "
            "account (429 `account_locked`); wrong codes slow further tries down, as on the "
            "website."
        ),
        request=Input,
        responses={
            200: Output,
            401: OpenApiResponse(
                ErrorSerializer,
                description="`invalid_credentials` (wrong e-mail address or password), "
                "`mfa_required` (the account uses two-step verification: send `otp`) or "
                "`invalid_otp` (the code is wrong, already used, or came too soon after a "
                "wrong one).",
            ),
            **error_responses(400, 429),
        },
        auth=[],
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=data.validated_data["email"],
            password=data.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request)
        if user is None or not user.is_active:
            raise InvalidCredentials()
        token, expiry = api_token_log_in(user=user, otp=data.validated_data["otp"])
        return Response(self.Output({"token": token, "expiry": expiry}).data)


class LogoutApi(BodyCheckedApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout", request=None, responses={204: None, **error_responses(401)}
    )
    def post(self, request):
        if request.auth is not None:
            api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        first_name = serializers.CharField(max_length=150, required=False)
        last_name = serializers.CharField(max_length=150, required=False)
        phone = PhoneSerializerField(required=False, allow_blank=True)
        date_of_birth = serializers.DateField(
            required=False, allow_null=True, validators=[validate_date_of_birth]
        )
        preferred_location = serializers.SlugRelatedField(
            slug_field="slug",
            queryset=Location.objects.filter(is_active=True),
            required=False,
            allow_null=True,
        )
        preferred_language = serializers.ChoiceField(choices=Language.choices, required=False)
        sms_opt_in = serializers.BooleanField(required=False)

    @extend_schema(operation_id="me_read", responses={200: ProfileOutput, **error_responses(401)})
    def get(self, request):
        return Response(_profile_data(request.user, AccessContext.api(request)))

    @extend_schema(
        operation_id="me_update",
        request=Input,
        responses={200: ProfileOutput, **error_responses(400, 401)},
    )
    def patch(self, request):
        data = self.Input(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        patient_profile_update(
            user=request.user, access=AccessContext.api(request), **data.validated_data
        )
        return Response(_profile_data(request.user))
