"""Public article pages. Staff who may view articles also see unpublished ones as a preview."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from clinic.languages import canonical_url
from education import selectors
from education.forms import ArticleFilterForm
from education.rendering import json_for_script
from education.seo import article_json_ld

PAGE_SIZE = 12
BOOKING_URL_NAME = "scheduling:book"  # the booking app sits above: linked by URL name


def article_list(request):
    form = ArticleFilterForm(request.GET or None, tags=selectors.tag_list_in_use())
    filters = form.cleaned_data if form.is_valid() else {}
    articles = selectors.article_list(
        category=filters.get("category", ""),
        tag=filters.get("tag"),
        q=filters.get("q", ""),
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "education/article_list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters and any(filters.values())),
            "query": query.urlencode(),
        },
    )


def article_detail(request, slug: str):
    article = selectors.article_get_for_reader(slug=slug, user=request.user)
    text = selectors.article_localized(article=article)
    faq = selectors.article_faq(article=article, language=text.language)
    url = settings.SITE_URL + article.get_absolute_url()
    json_ld = article_json_ld(
        text=text, faq=faq, url=url, site_name=settings.CLINIC_NAME, site_url=settings.SITE_URL
    )
    response = render(
        request,
        "education/article_detail.html",
        {
            "article": article,
            "text": text,
            "faq": faq,
            "related": article.public_related,
            "locations": selectors.article_locations(article=article),
            "booking_path": reverse(BOOKING_URL_NAME),
            "canonical_url": canonical_url(request, url, text.available_languages),
            # A preview is not indexed; an article exists in its translations' languages.
            "alternate_languages": [] if not article.is_public else text.available_languages,
            "json_ld": json_for_script(json_ld),
            "preview": not article.is_public,
        },
    )
    if not article.is_public:
        response["X-Robots-Tag"] = "noindex"
        patch_cache_control(response, private=True, no_store=True)
    return response
