from django.urls import path

from backend.accounts import pages

app_name = "accounts"

urlpatterns = [
    path("p/<slug:slug>/admin/people/", pages.people_page, name="people"),
    path("p/<slug:slug>/admin/people/add", pages.member_add, name="add"),
    path("p/<slug:slug>/admin/people/new", pages.member_new, name="new"),
    path("p/<slug:slug>/admin/people/<int:user_id>/", pages.member_page, name="member"),
    path("p/<slug:slug>/admin/people/<int:user_id>/change", pages.member_change, name="change"),
    path("p/<slug:slug>/admin/people/<int:user_id>/remove", pages.member_remove, name="remove"),
    path("p/<slug:slug>/admin/people/<int:user_id>/devices", pages.device_issue, name="issue"),
    path(
        "p/<slug:slug>/admin/people/<int:user_id>/devices/<int:token_id>/revoke",
        pages.device_revoke,
        name="revoke",
    ),
]
