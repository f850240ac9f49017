from django.urls import path

from forms import pages

app_name = "forms"

urlpatterns = [
    path("p/<slug:slug>/admin/forms/", pages.forms_page, name="list"),
    path(
        "p/<slug:slug>/admin/forms/preview-upload",
        pages.form_upload_preview,
        name="preview_upload",
    ),
    path("p/<slug:slug>/admin/forms/<str:form_id>/", pages.form_detail, name="detail"),
    path("p/<slug:slug>/admin/forms/<str:form_id>/state", pages.form_state, name="state"),
    path(
        "p/<slug:slug>/admin/forms/<str:form_id>/attachments",
        pages.form_attachments,
        name="attachments",
    ),
]
