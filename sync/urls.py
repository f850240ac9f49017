"""OpenRosa paths for ODK Collect (docs/openrosa.md): each exists plain and behind a device token.

No trailing slashes and no redirects: OkHttp turns a redirected POST into a GET without a body.
"""

from django.urls import URLPattern, include, path

from sync import views

app_name = "sync"

_project_paths: list[URLPattern] = [
    path("formList", views.form_list, name="form_list"),
    path("submission", views.submission, name="submission"),
    path("forms/<str:form_id>/<str:md5>/form.xml", views.form_download, name="form_download"),
    path("forms/<str:form_id>/<str:md5>/manifest", views.form_manifest, name="form_manifest"),
    path("forms/<str:form_id>/<str:md5>/media/<str:name>", views.form_media, name="form_media"),
    path("lists/<str:name>/integrity", views.entity_integrity, name="entity_integrity"),
]

urlpatterns = [
    path("projects/<slug:slug>/", include(_project_paths)),
    path("key/<str:token>/projects/<slug:slug>/", include(_project_paths)),
]
