from django.urls import path

from backend.entities import pages

app_name = "entities"

urlpatterns = [
    path("p/<slug:slug>/lists/", pages.datasets_page, name="list"),
    path("p/<slug:slug>/lists/<str:name>/", pages.dataset_page, name="detail"),
]
