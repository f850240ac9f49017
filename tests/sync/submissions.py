"""Build submissions the way ODK Collect sends them."""

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def simple_xml(
    instance_id: str | None = None,
    *,
    name="Li",
    photo="a.jpg",
    version="1",
    deprecated: str | None = None,
    prefix: bool = False,
) -> bytes:
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    meta, close = ("orx:meta", "orx:") if prefix else ("meta", "")
    deprecated_el = f"<{close}deprecatedID>{deprecated}</{close}deprecatedID>" if deprecated else ""
    return (
        f'<data xmlns:orx="http://openrosa.org/xforms" id="simple" version="{version}">'
        f"<name>{name}</name><where>26.5 106.7 900 5</where><photo>{photo}</photo>"
        f"<{meta}>{deprecated_el}<{close}instanceID>{instance_id}</{close}instanceID></{meta}>"
        "</data>"
    ).encode()


def photos_xml(instance_id: str, *, photo="front.jpg", rooms=("r1.jpg", "r2.jpg")) -> bytes:
    room_xml = "".join(f"<rooms><room_photo>{r}</room_photo><size>12</size></rooms>" for r in rooms)
    return (
        f'<data id="photos" version="1"><name>Wang</name><photo>{photo}</photo>{room_xml}'
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def jpeg(color=(200, 10, 10), size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def multipart(xml: bytes, *files: tuple[str, bytes], incomplete: bool = False) -> dict:
    """The POST body fields: the XML part first, then each file under its own name."""
    data: dict = {"xml_submission_file": SimpleUploadedFile("instance.xml", xml, "text/xml")}
    for name, content in files:
        data[name] = SimpleUploadedFile(name, content, "image/jpeg")
    if incomplete:
        data["*isIncomplete*"] = "yes"
    return data
