from django.urls import path

from backend.web import views, webform_views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordView.as_view(), name="password"),
    path(
        "p/<slug:slug>/households/<str:household_id>/fill/<str:form_id>/",
        webform_views.household_fill,
        name="household_fill",
    ),
    path(
        "p/<slug:slug>/households/<str:household_id>/fill/<str:form_id>/submission",
        webform_views.household_fill_submit,
        name="household_fill_submit",
    ),
    path(
        "p/<slug:slug>/admin/forms/<str:form_id>/preview",
        webform_views.form_preview,
        name="form_preview",
    ),
]
