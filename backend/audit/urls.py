from django.urls import path

from backend.audit import pages

app_name = "audit"

urlpatterns = [
    path("p/<slug:slug>/access-log/", pages.access_log_page, name="log"),
    path("p/<slug:slug>/access-log.csv", pages.access_log_csv, name="csv"),
]
