from backend.core.checks import check_odk_validate, check_secret_key, check_site_url


def test_site_url_needs_scheme_and_host(settings):
    settings.SITE_URL = "example.org"
    assert [e.id for e in check_site_url(None)] == ["core.E002"]
    settings.SITE_URL = "https://example.org"
    assert check_site_url(None) == []


def test_deployment_refuses_the_embedded_secret_key(settings):
    settings.SECRET_KEY = "insecure-embedded-default-key-change-me-in-production"
    assert [e.id for e in check_secret_key(None)] == ["core.E001"]
    settings.SECRET_KEY = "a-real-long-random-key-from-the-environment-0123456789"
    assert check_secret_key(None) == []


def test_odk_validate_setting_is_one_of_three_words(settings):
    settings.FORMS_ODK_VALIDATE = "sometimes"
    assert [e.id for e in check_odk_validate(None)] == ["core.E003"]
    settings.FORMS_ODK_VALIDATE = "off"
    assert check_odk_validate(None) == []
