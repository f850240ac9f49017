from django.urls import path

from backend.submissions import views

urlpatterns = [
    path(
        "projects/<slug:slug>/submissions/<int:pk>/attachments/<str:name>",
        views.submission_attachment,
        name="submission-attachment",
    ),
]
