from django.urls import path

from backend.crosscheck import pages

app_name = "crosscheck"

urlpatterns = [
    path("p/<slug:slug>/department-records/", pages.records_page, name="records"),
    path(
        "p/<slug:slug>/admin/department-records/import",
        pages.import_file,
        name="import",
    ),
    path(
        "p/<slug:slug>/households/<str:household_id>/department-records/",
        pages.household_records_page,
        name="household",
    ),
    path(
        "p/<slug:slug>/department-records/<int:import_id>/",
        pages.import_page,
        name="import_detail",
    ),
]
