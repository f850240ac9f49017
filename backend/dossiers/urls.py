from django.urls import path

from backend.dossiers import pages

app_name = "dossiers"

urlpatterns = [
    path("p/<slug:slug>/households/<str:household_id>/file/", pages.dossier_page, name="page"),
    path(
        "p/<slug:slug>/households/<str:household_id>/file.pdf", pages.dossier_pdf_page, name="pdf"
    ),
]
