"""Triage API: the questionnaire definition, submitting answers, the caller's assessments.

``?format=fhir`` (or ``Accept: application/fhir+json``) on the questionnaire and on an
assessment selects the FHIR renderer, and the view answers with the FHIR R4 resource.
"""

import logging

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from audit.context import AccessContext
from clinic.api.pagination import Pagination
from clinic.api.schema import error_responses
from triage import fhir, presentation, selectors
from triage.definitions import ITEM_TYPES
from triage.errors import InvalidAnswers
from triage.models import Pattern, Urgency
from triage.services import assessment_submit

logger = logging.getLogger(__name__)


class FhirJsonRenderer(JSONRenderer):
    media_type = fhir.FHIR_MEDIA_TYPE
    format = "fhir"


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "fhir"],
    description="`fhir` answers with the FHIR R4 resource (`application/fhir+json`); the same as "
    "sending `Accept: application/fhir+json`. Default: the portal's own JSON.",
)


def json_or_fhir(output, resource_type: str) -> dict:
    """The two 200 bodies of a view that also speaks FHIR, for the OpenAPI schema."""
    return {
        (200, "application/json"): output,
        (200, fhir.FHIR_MEDIA_TYPE): OpenApiResponse(
            OpenApiTypes.OBJECT, description=f"FHIR R4 {resource_type} resource."
        ),
    }


def _wants_fhir(request) -> bool:
    return request.accepted_renderer.format == FhirJsonRenderer.format


class TranslatedText(serializers.CharField):
    """English definition text out in the request's language (the msgid is the English)."""

    def to_representation(self, value):
        return _(value) if value else value


class OptionOutput(serializers.Serializer):
    code = serializers.CharField()
    display = TranslatedText()
    exclusive = serializers.BooleanField(help_text="Cannot be combined with other choices.")


class EnableWhenOutput(serializers.Serializer):
    question = serializers.CharField(help_text="linkId of the question this item depends on.")
    operator = serializers.ChoiceField(choices=["exists", "=", "!=", ">", "<", ">=", "<="])
    answer = serializers.JSONField(help_text="The value compared with (boolean, code, number).")


class ItemOutput(serializers.Serializer):
    linkId = serializers.CharField(source="link_id")
    type = serializers.ChoiceField(choices=ITEM_TYPES)
    text = TranslatedText()
    help = TranslatedText(allow_blank=True)
    required = serializers.BooleanField()
    repeats = serializers.BooleanField(help_text="Multi-select: the answer is a list of codes.")
    redFlag = serializers.BooleanField(
        source="red_flag",
        help_text="A warning-sign question: may be left unanswered, which makes the result at "
        "least urgent.",
    )
    answerOption = OptionOutput(source="options", many=True)
    enableWhen = EnableWhenOutput(source="enable_when", many=True)
    enableBehavior = serializers.ChoiceField(source="enable_behavior", choices=["all", "any"])
    minValue = serializers.IntegerField(source="min_value", allow_null=True)
    maxValue = serializers.IntegerField(source="max_value", allow_null=True)
    maxLength = serializers.IntegerField(source="max_length", allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["items"] = ItemOutput(many=True, help_text="Child items of a group.")
        return fields


class QuestionnaireDetailApi(APIView):
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, FhirJsonRenderer]

    class Output(serializers.Serializer):
        slug = serializers.CharField()
        url = serializers.URLField(help_text="Canonical URL.")
        version = serializers.IntegerField()
        reference = serializers.CharField(help_text="Versioned canonical, `url|version`.")
        title = TranslatedText()
        description = TranslatedText()
        items = ItemOutput(many=True)

    @extend_schema(
        operation_id="triage_questionnaire_read",
        description=(
            "The published questionnaire (newest version), texts in the request's language. "
            "`?format=fhir` answers with a FHIR R4 `Questionnaire` instead."
        ),
        responses={**json_or_fhir(Output, "Questionnaire"), **error_responses(404)},
        parameters=[FORMAT_PARAMETER],
        auth=[],
    )
    def get(self, request, slug: str):
        questionnaire = selectors.questionnaire_published(slug=slug)
        definition = selectors.questionnaire_definition(questionnaire=questionnaire)
        if _wants_fhir(request):
            return Response(
                fhir.questionnaire_resource(
                    definition,
                    status=questionnaire.status,
                    published_at=questionnaire.published_at,
                )
            )
        return Response(self.Output(definition).data)


class FlagOutput(serializers.Serializer):
    rule = serializers.CharField(help_text="Rule id, e.g. `E1`.")
    level = serializers.ChoiceField(choices=Urgency.choices)
    message = TranslatedText(help_text="What the rule means for the patient.")


class NextStepOutput(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            "emergency_department",
            "clinician_today",
            "book_within_2_weeks",
            "book_consultation",
        ]
    )
    text = serializers.CharField()
    booking_url = serializers.CharField(
        allow_null=True, help_text="Where to book; null when booking is not the next step."
    )

    def to_representation(self, instance):
        return presentation.next_step(
            instance.urgency, phone=presentation.contact_phone(instance.patient)
        )


class AssessmentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    pattern = serializers.ChoiceField(
        choices=Pattern.choices, help_text="Possible pattern, to be confirmed on examination."
    )
    flags = FlagOutput(many=True, help_text="Every rule that fired, highest level first.")
    complete = serializers.BooleanField(
        help_text="False when the answers stopped early because those given already mean an "
        "emergency (required items may then be missing); true otherwise."
    )
    questionnaire = serializers.CharField(
        source="questionnaire.reference", help_text="Versioned canonical, `url|version`."
    )
    ruleset = serializers.CharField(source="ruleset.reference", help_text="`id|version`.")
    next_step = NextStepOutput(source="*")
    created_at = serializers.DateTimeField()


class AssessmentsApi(APIView):
    """POST: anyone may submit (throttled, scope ``triage``); GET: the caller's own list."""

    throttle_scope = "triage"

    class Input(serializers.Serializer):
        questionnaire = serializers.CharField(
            max_length=100, help_text="Questionnaire slug, e.g. `lumbar-radiculopathy`."
        )
        answers = serializers.DictField(
            help_text="linkId -> value: a boolean, an integer, a code, a list of codes or text; "
            "null or absent for no answer."
        )

    class Output(AssessmentOutput):
        pass

    class PageOutput(serializers.Serializer):
        count = serializers.IntegerField()
        next = serializers.URLField(allow_null=True)
        previous = serializers.URLField(allow_null=True)
        results = AssessmentOutput(many=True)

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method != "POST":
            return [t for t in throttles if not isinstance(t, ScopedRateThrottle)]
        return throttles

    @extend_schema(
        operation_id="triage_assessment_list",
        responses={200: PageOutput, **error_responses(401, 404)},
    )
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.assessment_list_for(patient=request.user, access=AccessContext.api(request)),
            request,
            view=self,
        )
        return paginator.get_paginated_response(AssessmentOutput(page, many=True).data)

    @extend_schema(
        operation_id="triage_assessment_create",
        description=(
            "Submit answers, anonymously or as the logged-in patient. A 400 names the offending "
            "linkId under `errors.answers`, missing required items included. Answers that "
            "already mean an emergency are accepted without the remaining required items: 201 "
            "with `urgency` `emergency` and `complete` false, so the patient gets the emergency "
            "advice at once. An anonymous assessment cannot be read back later."
        ),
        request=Input,
        responses={201: Output, **error_responses(400, 429)},
        auth=[{"knoxApiToken": []}, {"cookieAuth": []}, {}],
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assessment = assessment_submit(
                questionnaire_slug=data.validated_data["questionnaire"],
                answers=data.validated_data["answers"],
                patient=request.user if request.user.is_authenticated else None,
                access=AccessContext.api(request),
            )
        except InvalidAnswers as exc:
            raise serializers.ValidationError({"answers": exc.errors}) from exc
        return Response(self.Output(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentDetailApi(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, FhirJsonRenderer]

    class Output(AssessmentOutput):
        answers = serializers.DictField(help_text="The answers as submitted, linkId -> value.")

    @extend_schema(
        operation_id="triage_assessment_read",
        description=(
            "One of the caller's assessments (another patient's is a 404). `?format=fhir` "
            "answers with a FHIR R4 `QuestionnaireResponse`."
        ),
        responses={**json_or_fhir(Output, "QuestionnaireResponse"), **error_responses(401, 404)},
        parameters=[FORMAT_PARAMETER],
    )
    def get(self, request, assessment_id):
        assessment = selectors.assessment_get_for(
            patient=request.user, assessment_id=assessment_id, access=AccessContext.api(request)
        )
        if _wants_fhir(request):
            definition = selectors.questionnaire_definition(questionnaire=assessment.questionnaire)
            return Response(fhir.questionnaire_response_resource(assessment, definition))
        return Response(self.Output(assessment).data)
