from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: behind a trusted proxy, the one the proxy names
    (backend/core/proxy.py has already put it in REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]
