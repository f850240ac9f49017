from django.urls import path

from backend.households import dashboard_views, import_page, pages

app_name = "households"

urlpatterns = [
    path("p/<slug:slug>/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "p/<slug:slug>/admin/households/import",
        import_page.households_import_page,
        name="import",
    ),
    path("p/<slug:slug>/households/<str:household_id>/", pages.household_page, name="page"),
    path(
        "p/<slug:slug>/households/<str:household_id>/resolve",
        pages.resolve_conflict,
        name="resolve",
    ),
    path(
        "p/<slug:slug>/households/<str:household_id>/flags/<int:flag_id>/clear",
        pages.clear_flag,
        name="clear_flag",
    ),
]
