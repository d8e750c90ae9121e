"""Admin for editors: articles with their FAQ and translations, the editorial actions, the
review-age warning, a preview link and the revision history with restore.

The change form saves the article's own rows as any admin form does; ``save_related`` then
hands over to ``article_record_change`` (rendering, search vector, revision). Status changes
only happen through the actions, which call the services.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic.admin_display import staff_time
from clinic.errors import ClinicError
from education import rules, selectors, services
from education.models import Article, ArticleRevision, ArticleTranslation, FaqEntry, Person, Tag


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "credentials", "role", "job_title")
    list_filter = ("role",)
    search_fields = ("name", "credentials")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "value")
    list_filter = ("kind",)
    search_fields = ("name", "name_es", "slug")
    prepopulated_fields = {"slug": ("name",)}


class FaqInline(admin.TabularInline):
    model = FaqEntry
    extra = 0
    fields = ("language", "order", "question", "answer")


class TranslationInline(admin.StackedInline):
    model = ArticleTranslation
    extra = 0
    fields = ("language", "title", "summary", "key_takeaways", "body_markdown")


class LastReviewedFilter(admin.SimpleListFilter):
    title = _("last medical review")
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("More than 12 months ago")),
            ("recent", _("Within 12 months")),
            ("never", _("Never")),
        ]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - rules.REVIEW_MAX_AGE
        if self.value() == "overdue":
            return queryset.filter(Q(last_reviewed__lt=cutoff) | Q(last_reviewed__isnull=True))
        if self.value() == "recent":
            return queryset.filter(last_reviewed__gte=cutoff)
        if self.value() == "never":
            return queryset.filter(last_reviewed__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "status_label",
        "review_warning",
        "last_reviewed",
        "published_at",
        "category",
        "preview_link",
    )
    list_filter = ("status", LastReviewedFilter, "category", "tags", "locations")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("author", "reviewer")
    filter_horizontal = ("tags", "locations", "related")
    readonly_fields = ("status", "updated_at", "revisions_link")
    inlines = [FaqInline, TranslationInline]
    actions = ["send_to_review", "publish", "archive"]
    change_form_template = "admin/education/article/change_form.html"
    view_on_site = False  # the change form has its own "View on site" / "Preview" link
    fieldsets = (
        (None, {"fields": ("title", "slug", "category", "summary", "key_takeaways")}),
        (_("Body"), {"fields": ("body_markdown",)}),
        (
            _("People and review"),
            {"fields": ("author", "reviewer", "last_reviewed")},
        ),
        (
            _("Publishing"),
            {"fields": ("status", "published_at", "updated_at", "revisions_link", "sort_order")},
        ),
        (
            _("Safety and linking"),
            {
                "fields": (
                    "discusses_red_flags",
                    "is_emergency_guide",
                    "tags",
                    "locations",
                    "related",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "reviewer")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body_markdown":
            field.widget.attrs.update(rows=30, cols=100)
        return field

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj: Article) -> str:
        if obj.is_scheduled:
            return format_html(
                '<span title="{}">{} ({})</span>',
                obj.published_at,
                _("Scheduled"),
                staff_time(obj.published_at),
            )
        return obj.get_status_display()

    @admin.display(description=_("review"))
    def review_warning(self, obj: Article) -> str:
        overdue = rules.review_overdue(
            status=obj.status, last_reviewed=obj.last_reviewed, today=timezone.localdate()
        )
        if overdue:
            return format_html(
                '<strong class="review-overdue">⚠ {}</strong>', _("Review overdue (12 months)")
            )
        return "—"

    @admin.display(description=_("preview"))
    def preview_link(self, obj: Article) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.get_absolute_url(),
            _("View") if obj.is_public else _("Preview"),
        )

    @admin.display(description=_("revisions"))
    def revisions_link(self, obj: Article) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:education_article_revisions", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Revision history"))

    def changelist_view(self, request, extra_context=None):
        overdue = selectors.article_review_overdue().count()
        if overdue:
            self.message_user(
                request,
                ngettext(
                    "%(count)d published article was last medically reviewed more than 12 "
                    "months ago. Filter by 'last medical review' to find it.",
                    "%(count)d published articles were last medically reviewed more than 12 "
                    "months ago. Filter by 'last medical review' to find them.",
                    overdue,
                )
                % {"count": overdue},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.article_record_change(
            article=form.instance,
            user=request.user,
            action=ArticleRevision.Action.UPDATED if change else ArticleRevision.Action.CREATED,
        )

    def _run(self, request, queryset, step, done_message: str) -> None:
        done = 0
        for article in queryset:
            try:
                step(article=article, user=request.user)
            except ClinicError as exc:
                self.message_user(request, f"{article.title}: {exc.detail}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Send to medical review"), permissions=["change"])
    def send_to_review(self, request, queryset):
        self._run(
            request, queryset, services.article_send_to_review, _("%(count)d sent to review.")
        )

    @admin.action(description=_("Publish (at their publish time, or now)"), permissions=["change"])
    def publish(self, request, queryset):
        self._run(request, queryset, services.article_publish, _("%(count)d published."))

    @admin.action(description=_("Archive (take off the site)"), permissions=["change"])
    def archive(self, request, queryset):
        self._run(request, queryset, services.article_archive, _("%(count)d archived."))

    # --- revision history ---------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/revisions/",
                wrap(self.revisions_view),
                name="education_article_revisions",
            ),
            path(
                "<int:object_id>/revisions/<int:number>/",
                wrap(self.revision_view),
                name="education_article_revision",
            ),
            *super().get_urls(),
        ]

    def _article_for(self, request, object_id: int) -> Article:
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request, object_id: int):
        article = self._article_for(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Revisions of “%(title)s”") % {"title": article.title},
            "revisions": selectors.article_revisions(article=article),
        }
        return TemplateResponse(request, "admin/education/article/revisions.html", context)

    def revision_view(self, request, object_id: int, number: int):
        article = self._article_for(request, object_id)
        revision = get_object_or_404(selectors.article_revisions(article=article), number=number)
        if request.method == "POST":
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            services.article_restore_revision(revision=revision, user=request.user)
            self.message_user(
                request,
                _("Revision %(number)d restored; the restore is saved as a new revision.")
                % {"number": number},
                messages.SUCCESS,
            )
            return redirect("admin:education_article_revisions", object_id=article.pk)
        snapshot = revision.snapshot
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "revision": revision,
            "snapshot": snapshot,
            "simple_fields": [
                (name, snapshot.get(name))
                for name in (*services.CONTENT_FIELDS, *services.WORKFLOW_FIELDS)
            ]
            + [
                ("author", (snapshot.get("author") or {}).get("name")),
                ("reviewer", (snapshot.get("reviewer") or {}).get("name")),
                ("tags", ", ".join(snapshot.get("tags", []))),
                ("locations", ", ".join(snapshot.get("locations", []))),
                ("related", ", ".join(snapshot.get("related", []))),
            ],
            "can_restore": self.has_change_permission(request, article),
            "title": _("Revision %(number)d of “%(title)s”")
            % {"number": number, "title": article.title},
        }
        return TemplateResponse(request, "admin/education/article/revision.html", context)
