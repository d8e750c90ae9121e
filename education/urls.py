from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("<slug:slug>/", views.article_detail, name="article-detail"),
]
