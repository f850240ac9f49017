"""Test settings: the real settings, with overrides that keep the tests fast and self-contained."""

from backend.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}
# ODK Validate spawns Java (0.5-2 s a form): only tests marked slow turn it on.
FORMS_ODK_VALIDATE = "off"
LANGUAGE_CODE = "en"
# Database ids come back in a new test database: a list kept on disk by an earlier run could
# answer for a new one. Tests that keep lists set a folder of their own.
HOUSEHOLD_LIST_KEEP_SECONDS = 0
