"""The real URLs plus one view that fails, to look at the 500 pages."""

from django.urls import include, path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401


def boom(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [
    path("boom/", boom),
    path("api/v1/boom/", boom),
    path("", include("config.urls")),
]
