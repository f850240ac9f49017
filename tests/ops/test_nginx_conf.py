"""docker/nginx.conf logs no device token: the access log's path is the redacted one."""

import re
from pathlib import Path

import pytest

CONF = (Path(__file__).resolve().parents[2] / "docker" / "nginx.conf").read_text()


def _directives(name: str) -> list[str]:
    """Each `name ...;` directive of the file, comments left out, continued lines joined."""
    text = "\n".join(line.split("#", 1)[0] for line in CONF.splitlines())
    return re.findall(rf"(?<![\w$]){name}\s+([^;]*);", text)


def _redact(uri: str) -> str:
    """The map from $uri to $logged_uri, applied as nginx (PCRE) applies it."""
    (body,) = re.findall(r"map \$uri \$logged_uri \{(.*?)\}", CONF, flags=re.S)
    pattern, value = re.search(r'"~(.+?)"\s+"(.+?)";', body).groups()
    match = re.match(pattern.replace("(?<", "(?P<"), uri)
    if match is None:
        return uri
    return re.sub(r"\$(\w+)", lambda name: match.group(name.group(1)) or "", value)


def test_the_access_log_format_never_uses_the_raw_path():
    (log_format,) = _directives("log_format")

    assert "$logged_uri" in log_format
    assert not re.search(
        r"\$(uri|request|request_uri|args|query_string|http_authorization)\b", log_format
    )


def test_every_access_log_uses_that_format():
    logs = _directives("access_log")
    assert logs
    assert all(log.split()[-1] in {"json", "off"} for log in logs)


@pytest.mark.parametrize(
    ("uri", "logged"),
    [
        ("/key/Tk9x_Q-abc/projects/demo/formList", "/key/<redacted>/projects/demo/formList"),
        ("/key/Tk9x_Q-abc", "/key/<redacted>"),
        ("/projects/demo/formList", "/projects/demo/formList"),
        ("/p/demo/key/other", "/p/demo/key/other"),
    ],
)
def test_the_logged_path_has_no_token(uri, logged):
    assert _redact(uri) == logged


def test_the_error_log_leaves_out_warnings_that_name_every_upload():
    (error_log,) = _directives("error_log")
    assert error_log.split()[-1] in {"error", "crit", "alert", "emerg"}
