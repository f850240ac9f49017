from django.urls import path

from backend.campaigns import pages

app_name = "campaigns"

urlpatterns = [
    path("p/<slug:slug>/campaigns/", pages.campaigns_page, name="list"),
    path("p/<slug:slug>/campaigns/<int:campaign_id>/", pages.campaign_page, name="campaign"),
    path(
        "p/<slug:slug>/campaigns/<int:campaign_id>/start", pages.campaign_start_page, name="start"
    ),
    path("p/<slug:slug>/campaigns/<int:campaign_id>/sign", pages.campaign_sign_page, name="sign"),
]
