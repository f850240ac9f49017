from django.urls import path

from backend.accounts import pages

app_name = "accounts"

urlpatterns = [
    path("p/<slug:slug>/admin/people/", pages.people_page, name="people"),
    path("p/<slug:slug>/admin/people/<int:user_id>/", pages.member_page, name="member"),
    path("p/<slug:slug>/admin/people/<int:user_id>/devices", pages.device_issue, name="issue"),
    path(
        "p/<slug:slug>/admin/people/<int:user_id>/devices/<int:token_id>/revoke",
        pages.device_revoke,
        name="revoke",
    ),
]
