"""ODK Collect settings for one phone, as JSON and as the QR code Collect scans.

The QR text is base64(zlib(JSON)); `general` and `admin` must both be present or Collect refuses it.
The server URL carries the device token, so no password is ever put in a QR code.
"""

import base64
import io
import json
import zlib
from dataclasses import dataclass
from typing import Any

import qrcode
from django.conf import settings as django_settings
from qrcode.image.pil import PilImage

from backend.accounts.models import User
from backend.projects.models import Project

# Settings a field worker should not change on a managed phone.
_LOCKED = (
    "change_server",
    "change_project_display",
    "change_form_metadata",
    "form_update_mode",
    "periodic_form_updates_check",
    "automatic_update",
    "change_autosend",
    "delete_after_send",
)


def device_server_url(*, secret: str, project: Project) -> str:
    """The server URL a phone uses: the token in the path signs it in (sync/auth.py)."""
    return f"{django_settings.SITE_URL}/key/{secret}/projects/{project.slug}"


def collect_settings(*, server_url: str, user: User, project: Project) -> dict[str, Any]:
    """The settings object for a phone of `user` in `project`."""
    return {
        "general": {
            "protocol": "odk_default",
            "server_url": server_url,
            # Forms follow the server exactly, and finished forms go as soon as there is signal.
            "form_update_mode": "match_exactly",
            "periodic_form_updates_check": "every_one_hour",
            "autosend": "wifi_and_cellular",
            "delete_send": False,
            "metadata_username": str(user),
        },
        "admin": dict.fromkeys(_LOCKED, False),
        "project": {
            "name": project.name,
            "icon": project.icon or project.name[:1],
            "color": project.color,
        },
    }


def qr_text(settings: dict[str, Any]) -> str:
    """Encode settings the way Collect decodes a settings QR code."""
    raw = json.dumps(settings, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(raw)).decode("ascii")


def qr_png(text: str) -> bytes:
    """Render the QR code as a PNG image."""
    image = qrcode.make(
        text, error_correction=qrcode.constants.ERROR_CORRECT_M, image_factory=PilImage
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class PhoneSetup:
    """Everything shown once when a phone's token is issued: URL, settings and their QR code."""

    server_url: str
    settings: dict[str, Any]

    @property
    def text(self) -> str:
        return qr_text(self.settings)

    @property
    def settings_json(self) -> str:
        return json.dumps(self.settings, ensure_ascii=False, indent=2)

    def png_base64(self) -> str:
        """The QR code as base64 PNG, for an <img src="data:...">."""
        return base64.b64encode(qr_png(self.text)).decode("ascii")


def phone_setup(*, secret: str, user: User, project: Project) -> PhoneSetup:
    """The setup of a phone of `user` in `project` that signs in with the token `secret`."""
    server_url = device_server_url(secret=secret, project=project)
    return PhoneSetup(
        server_url=server_url,
        settings=collect_settings(server_url=server_url, user=user, project=project),
    )
