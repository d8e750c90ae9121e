from django import template
from django.utils import translation

from education.models import Article, Tag
from education.selectors import LocalizedArticle, article_localized

register = template.Library()


@register.filter
def localized(article: Article) -> LocalizedArticle:
    """``{% with text=article|localized %}``: the article in the reader's language."""
    return article_localized(article=article)


@register.filter
def tag_label(tag: Tag) -> str:
    return tag.label(translation.get_language() or "en")
