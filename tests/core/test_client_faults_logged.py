"""A request refused for the client's own fault is a warning in the log, not an error."""

import logging

from django.test import Client


def test_a_host_the_site_does_not_serve_is_logged_as_a_warning(db, caplog, settings):
    settings.ALLOWED_HOSTS = ["visits.example.org"]
    with caplog.at_level(logging.INFO):
        response = Client().get("/health", HTTP_HOST="scanner.example.net")

    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.levelname == "WARNING"
    assert "scanner.example.net" in record.getMessage()
