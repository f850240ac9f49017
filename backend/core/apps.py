from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "backend.core"
    label = "core"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from backend.core import checks  # noqa: F401  (registers the system checks)
        from backend.core.requestid import forget_request_id

        request_finished.connect(forget_request_id, dispatch_uid="forget_request_id")
