from django.urls import path

from backend.households import pages

app_name = "households"

urlpatterns = [
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
