from django.urls import path

from backend.areas import pages

app_name = "areas"

urlpatterns = [
    path("p/<slug:slug>/admin/areas/import", pages.areas_import_page, name="import"),
]
