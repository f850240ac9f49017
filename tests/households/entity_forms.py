"""Small forms that create and update households, and submissions for them."""

import uuid

from backend.submissions.models import Submission
from forms.services import Upload, form_publish
from tests.forms.mdforms import REGISTRATION as REGISTER
from tests.forms.mdforms import VISIT
from tests.sync.submissions import multipart


def publish_entity_forms(project, alice) -> None:
    for name, md in (("register.md", REGISTER), ("visit.md", VISIT)):
        form_publish(project=project, source=Upload(name, md.encode()), published_by=alice)


def register_xml(
    entity_id: str, *, code="H-1", head="王五", village="demo-v01", label="H-1 王*"
) -> bytes:
    return (
        f'<data id="register" version="1"><village>{village}</village><hh_code>{code}</hh_code>'
        f"<head>{head}</head><size>3</size><location>26.51 106.71 900 6</location>"
        f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f'<entity dataset="households" create="1" id="{entity_id}"><label>{label}</label></entity>'
        "</meta></data>"
    ).encode()


def visit_xml(entity_id: str, base: int, *, instance=None, deprecated=None, **answers) -> bytes:
    fields = "".join(f"<{k}>{v}</{k}>" for k, v in answers.items())
    old = f"<deprecatedID>{deprecated}</deprecatedID>" if deprecated else ""
    return (
        f'<data id="visit" version="1"><hh>{entity_id}</hh>{fields}<meta>{old}'
        f"<instanceID>{instance or f'uuid:{uuid.uuid4()}'}</instanceID>"
        f'<entity dataset="households" id="{entity_id}" update="1" baseVersion="{base}" '
        'trunkVersion="" branchId=""/></meta></data>'
    ).encode()


def send(collect, xml: bytes):
    response = collect("post", "submission", data=multipart(xml))
    assert response.status_code == 201
    return Submission.objects.get(instance_id=_instance_id(xml))


def _instance_id(xml: bytes) -> str:
    return xml.decode().split("<instanceID>")[1].split("</instanceID>")[0]
