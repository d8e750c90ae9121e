from django.urls import path

from education import api

urlpatterns = [
    path("articles/", api.ArticleListApi.as_view(), name="api-article-list"),
    path("articles/<slug:slug>/", api.ArticleDetailApi.as_view(), name="api-article-detail"),
]
