from django.urls import path

from backend.statistics import pages

app_name = "statistics"

urlpatterns = [
    path("p/<slug:slug>/statistics/", pages.tables_page, name="tables"),
]
