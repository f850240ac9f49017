from django.contrib import admin
from django.urls import include, path

from backend.api import api, unknown_path
from backend.ops.views import health

urlpatterns = [
    # First: the phones' paths are most of the requests, and each pattern tried before costs
    # them time; none of the others starts like them (tests/sync/test_phone_paths.py).
    path("", include("sync.urls", namespace="sync")),
    path("admin/", admin.site.urls),
    # The API's root and any path it does not know answer JSON, not Django's HTML 404 page.
    path("api/v1/", unknown_path),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", unknown_path),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health", health, name="health"),
    path("", include("backend.submissions.urls")),
    path("", include("backend.web.urls", namespace="web")),
    path("", include("backend.review.urls", namespace="review")),
    path("", include("backend.households.urls", namespace="households")),
    path("", include("backend.entities.urls", namespace="entities")),
    path("", include("backend.crosscheck.urls", namespace="crosscheck")),
    path("", include("backend.statistics.urls", namespace="statistics")),
    path("", include("backend.campaigns.urls", namespace="campaigns")),
    path("", include("backend.dossiers.urls", namespace="dossiers")),
    path("", include("backend.casework.urls", namespace="casework")),
    path("", include("backend.accounts.urls", namespace="accounts")),
    path("", include("backend.areas.urls", namespace="areas")),
    path("", include("backend.projects.urls", namespace="projects")),
    path("", include("forms.urls", namespace="forms")),
    path("", include("backend.exports.urls", namespace="exports")),
    path("", include("backend.audit.urls", namespace="audit")),
]

# The error pages in the site's layout (backend/web/errors.py), used when DEBUG is off.
handler400 = "backend.web.errors.bad_request"
handler403 = "backend.web.errors.permission_denied"
handler404 = "backend.web.errors.page_not_found"
handler500 = "backend.web.errors.server_error"
