"""OpenRosa paths for ODK Collect (docs/openrosa.md): the protocol layer, no models, no queries."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
