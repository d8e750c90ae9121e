"""Public, read-only article API for the clinic's website: published articles only."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.api.conditional import conditional_response
from clinic.api.schema import error_responses
from clinic.models import Location
from education import selectors
from education.models import Article, Person, Tag

# The language of the content depends on `lang`, else the Accept-Language header or the
# language cookie: caches must keep them apart.
VARY = ("Accept-Language", "Cookie")

CONDITIONAL_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="An ETag from an earlier response; 304 when the resource has not changed.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="An HTTP date; 304 when unchanged since (If-None-Match wins when both).",
    ),
]
NOT_MODIFIED = OpenApiResponse(description="Not modified: your cached copy is current.")


class LanguageInput(serializers.Serializer):
    lang = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="Language of the content; default from Accept-Language. An article without "
        "that translation is returned in English (`language` says which).",
    )


def _localized(article: Article, language: str) -> selectors.LocalizedArticle:
    return selectors.article_localized(article=article, language=language)


# Whole answers are kept by the short path of public reads (``portal.middleware``) until an
# article, translation, FAQ, person or tag changes (``portal.public_cache``), for at most this
# long, and never past the moment the next scheduled article goes live.
RESPONSE_SECONDS = 60


def _answer(response, *, language: str):
    """``response`` in ``language`` (its texts' language: the locale middleware would say the
    request's, which ``lang`` overrides), kept until the next scheduled article goes live."""
    response["Content-Language"] = language
    upcoming = selectors.article_next_publication_in()
    if upcoming is not None:
        response.public_response_seconds = min(RESPONSE_SECONDS, upcoming)
    return response


class ArticleListApi(generics.ListAPIView):
    public_read = True  # anonymous GETs skip the session, CSRF and auth middlewares
    public_response_seconds = RESPONSE_SECONDS
    authentication_classes: list = []
    permission_classes = [AllowAny]

    class Input(LanguageInput):
        tag = serializers.SlugRelatedField(
            slug_field="slug",
            queryset=Tag.objects.all(),
            required=False,
            help_text="Tag slug, e.g. `sciatica` or a triage tag such as `urgency-emergency`.",
        )
        category = serializers.ChoiceField(choices=Article.Category.choices, required=False)
        location = serializers.SlugRelatedField(
            slug_field="slug",
            queryset=Location.objects.filter(is_active=True),
            required=False,
            help_text="Location slug: its articles and those for every location.",
        )
        q = serializers.CharField(
            max_length=200,
            required=False,
            allow_blank=True,
            help_text="Search words; results are then ordered by relevance.",
        )

    class Output(serializers.Serializer):
        slug = serializers.SlugField(source="article.slug")
        url = serializers.SerializerMethodField(help_text="The article's page on the portal.")
        title = serializers.CharField()
        summary = serializers.CharField()
        language = serializers.CharField(help_text="Language of title and summary.")
        category = serializers.ChoiceField(
            source="article.category", choices=Article.Category.choices
        )
        tags = serializers.SerializerMethodField()
        locations = serializers.SerializerMethodField(
            help_text="Slugs of the relevant locations; empty means every location."
        )
        published_at = serializers.DateTimeField(source="article.published_at")
        last_reviewed = serializers.DateField(source="article.last_reviewed", allow_null=True)
        updated_at = serializers.DateTimeField(source="article.updated_at")

        def get_url(self, item) -> str:
            return settings.SITE_URL + item.article.get_absolute_url()

        def get_tags(self, item) -> list[str]:
            return sorted(t.slug for t in item.article.tags.all())

        def get_locations(self, item) -> list[str]:
            return sorted(loc.slug for loc in item.article.locations.all())

    serializer_class = Output

    def get_queryset(self):
        params = self.Input(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        self.params = params.validated_data
        return selectors.article_list(
            category=self.params.get("category", ""),
            tag=self.params.get("tag"),
            location=self.params.get("location"),
            q=self.params.get("q", ""),
        )

    @extend_schema(
        operation_id="articles_list",
        parameters=[Input, *CONDITIONAL_HEADERS],
        responses={200: Output(many=True), 304: NOT_MODIFIED, **error_responses(400, 404, 429)},
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        articles = self.get_queryset()
        language = selectors.reader_language(self.params.get("lang"))
        count, changed = selectors.article_list_version(articles=articles)

        def build() -> Response:
            page = self.paginate_queryset(articles)
            items = [_localized(article, language) for article in page]
            return self.get_paginated_response(self.Output(items, many=True).data)

        return _answer(
            conditional_response(
                request,
                build=build,
                last_modified=changed,
                version=("articles", request.get_full_path(), language, count, changed),
                vary=VARY,
            ),
            language=language,
        )


class PersonOutput(serializers.Serializer):
    name = serializers.CharField()
    credentials = serializers.CharField()
    role = serializers.ChoiceField(choices=Person.Role.choices)
    job_title = serializers.CharField()


class FaqOutput(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField(help_text="Plain text.")
    language = serializers.CharField()


class ArticleDetailApi(APIView):
    public_read = True  # anonymous GETs skip the session, CSRF and auth middlewares
    public_response_seconds = RESPONSE_SECONDS
    authentication_classes: list = []
    permission_classes = [AllowAny]

    class Output(ArticleListApi.Output):
        key_takeaways = serializers.ListField(child=serializers.CharField(), source="takeaways")
        body_html = serializers.CharField(help_text="Sanitised HTML rendered from Markdown.")
        faq = serializers.SerializerMethodField()
        related = serializers.SerializerMethodField(
            help_text="Slugs of related published articles."
        )
        author = PersonOutput(source="article.author")
        reviewer = PersonOutput(source="article.reviewer", allow_null=True)
        discusses_red_flags = serializers.BooleanField(
            source="article.discusses_red_flags",
            help_text="The article discusses red flags: show 'when to seek care now' advice.",
        )
        is_emergency_guide = serializers.BooleanField(source="article.is_emergency_guide")
        available_languages = serializers.ListField(child=serializers.CharField())

        @extend_schema_field(FaqOutput(many=True))
        def get_faq(self, item) -> list[dict]:
            faq = selectors.article_faq(article=item.article, language=item.language)
            return FaqOutput(faq, many=True).data

        def get_related(self, item) -> list[str]:
            return [a.slug for a in item.article.public_related]

    @extend_schema(
        operation_id="articles_read",
        parameters=[LanguageInput, *CONDITIONAL_HEADERS],
        responses={200: Output, 304: NOT_MODIFIED, **error_responses(400, 404, 429)},
        auth=[],
    )
    def get(self, request, slug: str):
        params = LanguageInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        language = selectors.reader_language(params.validated_data.get("lang"))
        article = selectors.article_get_public(slug=slug)
        people = [p for p in (article.author, article.reviewer) if p is not None]
        stamps = [article.updated_at, *(p.updated_at for p in people)]
        stamps += [a.updated_at for a in article.public_related]
        localized = _localized(article, language)
        response = conditional_response(
            request,
            build=lambda: Response(self.Output(localized).data),
            last_modified=max(stamps),
            version=(
                "article",
                article.pk,
                language,
                *stamps,
                *(a.slug for a in article.public_related),
            ),
            vary=VARY,
        )
        return _answer(response, language=localized.language)
