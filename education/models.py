"""Education articles: people who write and review them, tags (some reserved for triage), the
articles with their FAQ and translations, and the revision history of every change.

The rendered HTML and the full-text search vector are derived fields: ``education.services``
writes them whenever content changes, so pages never render Markdown per request.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import Language
from triage.models import Pattern, Urgency

# PostgreSQL text-search configuration per content language (stemming, stop words).
SEARCH_CONFIGS = {"en": "english", "es": "spanish"}


def non_blank_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Person(models.Model):
    """A fictional or real clinician credited on articles: as author, medical reviewer, or both."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        MEDICAL_REVIEWER = "medical_reviewer", _("Medical reviewer")
        AUTHOR_AND_REVIEWER = "author_and_reviewer", _("Author and medical reviewer")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    credentials = models.CharField(
        _("credentials"), max_length=120, blank=True, help_text=_("For example: MD, FIPP.")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author or reviewer")
        verbose_name_plural = _("authors and reviewers")

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def can_review(self) -> bool:
        return self.role in (self.Role.MEDICAL_REVIEWER, self.Role.AUTHOR_AND_REVIEWER)


class Tag(models.Model):
    """A topic tag, or a reserved triage tag (pattern or urgency) that links triage results here.

    Triage tags are found by ``kind`` and ``value`` (the triage app's code: ``Pattern``,
    ``Urgency``), never by slug.
    """

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Topic")
        TRIAGE_PATTERN = "triage_pattern", _("Triage pattern")
        TRIAGE_URGENCY = "triage_urgency", _("Triage urgency")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_es = models.CharField(_("name in Spanish"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    value = models.CharField(
        _("triage code"),
        max_length=20,
        blank=True,
        help_text=_("For triage tags: the pattern or urgency code, e.g. L5 or emergency."),
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                condition=~Q(kind="topic"),
                name="tag_unique_triage_value",
            ),
            models.CheckConstraint(
                condition=Q(kind="topic", value="")
                | Q(kind="triage_pattern", value__in=Pattern.values)
                | Q(kind="triage_urgency", value__in=Urgency.values),
                name="tag_value_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In medical review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Category(models.TextChoices):
        CONDITIONS = "conditions", _("Conditions and symptoms")
        EMERGENCY = "emergency", _("Emergency warning signs")
        DIAGNOSIS = "diagnosis", _("Diagnosis")
        CONSERVATIVE = "conservative", _("Conservative care")
        MINIMALLY_INVASIVE = "minimally_invasive", _("Minimally invasive treatment")
        SURGICAL = "surgical", _("Surgical options")

    slug = models.SlugField(unique=True, max_length=120)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("quick insights"), max_length=600, help_text=_("Two or three plain sentences.")
    )
    key_takeaways = models.TextField(
        _("key takeaways"), blank=True, help_text=_("One takeaway per line.")
    )
    body_markdown = models.TextField(
        _("body (Markdown)"),
        help_text=_("Sections start with '## Heading'. Raw HTML is sanitised away."),
    )
    body_html = models.TextField(editable=False, default="")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    author = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="authored_articles",
        verbose_name=_("author"),
    )
    reviewer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        null=True,
        blank=True,
        limit_choices_to={"role__in": ["medical_reviewer", "author_and_reviewer"]},
        verbose_name=_("medical reviewer"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_(
            "When the article became (or becomes) public. A future time schedules a published "
            "article; empty means 'now' when it is published."
        ),
    )
    last_reviewed = models.DateField(_("last medically reviewed"), null=True, blank=True)
    discusses_red_flags = models.BooleanField(
        _("discusses red flags"),
        default=False,
        help_text=_("Shows the 'when to seek care now' box with the emergency number."),
    )
    is_emergency_guide = models.BooleanField(
        _("emergency warning-signs guide"),
        default=False,
        help_text=_(
            "The one article that emergency triage results always link first. Only one article "
            "can carry this flag."
        ),
    )
    locations = models.ManyToManyField(
        "clinic.Location",
        blank=True,
        related_name="articles",
        verbose_name=_("relevant locations"),
        help_text=_("None selected means the article is relevant to every location."),
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name=_("related articles")
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    # Title (A) > summary (B) > body (C), English and Spanish; written by the services on
    # PostgreSQL only, with a GIN index created by migration 0002 there.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["sort_order", "-published_at", "title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "published_at"], name="article_public_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["is_emergency_guide"],
                condition=Q(is_emergency_guide=True),
                name="article_single_emergency_guide",
                violation_error_message=_("Another article is already the emergency guide."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:article-detail", kwargs={"slug": self.slug})

    @property
    def takeaway_list(self) -> list[str]:
        return non_blank_lines(self.key_takeaways)

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


class ArticleTranslation(models.Model):
    """The article in another language than English (Spanish today)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[choice for choice in Language.choices if choice[0] != Language.ENGLISH],
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("quick insights"), max_length=600)
    key_takeaways = models.TextField(
        _("key takeaways"), blank=True, help_text=_("One takeaway per line.")
    )
    body_markdown = models.TextField(_("body (Markdown)"))
    body_html = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="article_translation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def takeaway_list(self) -> list[str]:
        return non_blank_lines(self.key_takeaways)


class FaqEntry(models.Model):
    """One question and answer of an article's FAQ, in one language (plain text answers)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="faq_entries")
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta:
        ordering = ["language", "order", "pk"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question


class ArticleRevision(models.Model):
    """A snapshot of an article's content after one change, with who made it and how."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Edited")
        SENT_TO_REVIEW = "sent_to_review", _("Sent to medical review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")
        RESTORED = "restored", _("Restored from an earlier revision")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(_("content"))

    class Meta:
        ordering = ["-number"]
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"
