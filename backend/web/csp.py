"""The origins the Content-Security-Policy lets pages load images from, besides the app itself.

Pure: settings.py calls it with plain strings when it builds CONTENT_SECURITY_POLICY.
"""

from urllib.parse import urlsplit


def url_source(url: str) -> str | None:
    """The CSP source (scheme and host) of a URL or tile template; None when it names no host.

    Leaflet's `{s}` subdomain placeholder becomes a `*.` wildcard: the tiles come from any of them.
    """
    parts = urlsplit(url.strip().replace("{s}", "*"))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    if "{" in parts.netloc:
        return None  # another placeholder in the host: nothing a policy can name
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def object_storage_sources(*, endpoint_url: str | None) -> list[str]:
    """Where a photo's signed URL points (the app redirects images there, and CSP follows).

    A bucket may be addressed by path (`endpoint/bucket/…`) or as a subdomain
    (`bucket.endpoint/…`), so both the endpoint and its subdomains are allowed. Without an
    endpoint the store is Amazon S3.
    """
    source = url_source(endpoint_url) if endpoint_url else None
    if source is None:
        return ["https://*.amazonaws.com"]
    scheme, host = source.split("://", 1)
    return [source, f"{scheme}://*.{host}"]
