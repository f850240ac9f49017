from django.urls import path

from backend.projects import pages

app_name = "projects"

urlpatterns = [
    path("p/<slug:slug>/admin/settings/", pages.settings_page, name="settings"),
    path("p/<slug:slug>/admin/settings/save", pages.settings_save, name="save"),
    path("p/<slug:slug>/admin/settings/weights", pages.weights_save, name="weights"),
]
