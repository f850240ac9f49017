"""ODK Collect settings for one phone, as JSON and as the QR code Collect scans.

The QR text is base64(zlib(JSON)); `general` and `admin` must both be present or Collect refuses it.
The server URL carries the device token, so no password is ever put in a QR code.
"""

import base64
import io
import json
import zlib
from typing import Any

import qrcode

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
    image = qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
