from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from education.models import Article, Tag


class TagChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Tag) -> str:
        return obj.label(translation.get_language() or "en")


class ArticleFilterForm(forms.Form):
    """The list page's search and filters (all optional, sent with GET)."""

    q = forms.CharField(
        label=_("Search articles"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Article.Category.choices],
    )
    tag = TagChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Tag.objects.filter(kind=Tag.Kind.TOPIC),
        to_field_name="slug",
        empty_label=_("All topics"),
    )

    def __init__(self, *args, tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tags is not None:
            self.fields["tag"].queryset = tags
