from django.urls import path

from backend.review import submission_views, views

app_name = "review"

urlpatterns = [
    path("p/<slug:slug>/review/", views.queue, name="queue"),
    path("p/<slug:slug>/review/decide", views.bulk_decide, name="bulk"),
    path(
        "p/<slug:slug>/submissions/<int:submission_id>/",
        submission_views.submission_detail,
        name="submission",
    ),
    path(
        "p/<slug:slug>/submissions/<int:submission_id>/decide",
        submission_views.decide,
        name="decide",
    ),
    path(
        "p/<slug:slug>/submissions/<int:submission_id>/comment",
        submission_views.comment,
        name="comment",
    ),
]
