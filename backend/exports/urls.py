from django.urls import path

from backend.exports import pages

app_name = "exports"

urlpatterns = [
    path("p/<slug:slug>/exports/", pages.exports_page, name="page"),
    path("p/<slug:slug>/exports/list", pages.exports_list, name="list"),
    path("p/<slug:slug>/exports/request", pages.export_create, name="request"),
]
