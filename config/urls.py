from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from clinic import health
from clinic import web_urls as account_urls
from portal import urls as portal_urls
from portal import views as portal_views

api_v1 = [
    path("", include("clinic.api.urls")),
    path("", include("portal.api.urls")),
    path("", include("triage.api_urls")),
    path("", include("education.api_urls")),
    path("", include("scheduling.api_urls")),
]

# The account pages (clinic) and the portal's pages share the ``clinic`` namespace: their names
# (``clinic:dashboard``, ``clinic:location-detail``...) are older than the portal app.
clinic_pages = ([*account_urls.urlpatterns, *portal_urls.urlpatterns], account_urls.app_name)

# The API first: its requests (the public location API is the busiest part of the portal)
# then resolve without walking every web page's pattern. No web URL starts with "api/".
urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", portal_views.home, name="home"),
    path("", include(clinic_pages)),
    path("triage/", include("triage.urls")),
    path("education/", include("education.urls")),
    path("appointments/", include("scheduling.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

handler404 = "clinic.errors_views.not_found"
handler500 = "clinic.errors_views.server_error"
handler403 = "clinic.errors_views.permission_denied"
handler400 = "clinic.errors_views.bad_request"
