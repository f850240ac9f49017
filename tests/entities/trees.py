"""A second entity list, `trees`: a form that plants trees and one that checks them, and the
submissions ODK Collect sends for them."""

import uuid

from backend.submissions.models import Submission
from forms.services import Upload, form_publish
from tests.sync.submissions import multipart

PLANT = """
| survey |
|        | type    | name    | label   | save_to |
|        | text    | village | Village | village |
|        | text    | species | Species | species |
|        | integer | height  | Height  | height  |
| entities |
|          | list_name | label                               |
|          | trees     | concat(${species}, ' ', ${village}) |
| settings |
|          | form_id | version |
|          | plant   | 1       |
"""

CHECK = """
| survey |
|        | type                           | name   | label  | save_to |
|        | select_one_from_file trees.csv | tree   | Tree   |         |
|        | integer                        | height | Height | height  |
|        | text                           | health | Health | health  |
| entities |
|          | list_name | entity_id |
|          | trees     | ${tree}   |
| settings |
|          | form_id | version |
|          | check   | 1       |
"""

# Reads the list without writing to it.
READ = """
| survey |
|        | type                           | name | label |
|        | select_one_from_file trees.csv | tree | Tree  |
| settings |
|          | form_id | version |
|          | read    | 1       |
"""


def publish(project, alice, *names: str):
    forms = {"plant": PLANT, "check": CHECK, "read": READ}
    return {
        name: form_publish(
            project=project, source=Upload(f"{name}.md", forms[name].encode()), published_by=alice
        ).version
        for name in names
    }


def plant_xml(entity_id: str, *, village="demo-v01", species="银杏", height=3, label=None) -> bytes:
    label = f"{species} {village}" if label is None else label
    return (
        f'<data id="plant" version="1"><village>{village}</village><species>{species}</species>'
        f"<height>{height}</height><meta><instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f'<entity dataset="trees" create="1" id="{entity_id}"><label>{label}</label></entity>'
        "</meta></data>"
    ).encode()


def check_xml(
    entity_id: str, base: int, *, trunk="", branch="", instance=None, deprecated=None, **answers
) -> bytes:
    fields = "".join(f"<{k}>{v}</{k}>" for k, v in answers.items())
    old = f"<deprecatedID>{deprecated}</deprecatedID>" if deprecated else ""
    return (
        f'<data id="check" version="1"><tree>{entity_id}</tree>{fields}<meta>{old}'
        f"<instanceID>{instance or f'uuid:{uuid.uuid4()}'}</instanceID>"
        f'<entity dataset="trees" id="{entity_id}" update="1" baseVersion="{base}" '
        f'trunkVersion="{trunk}" branchId="{branch}"/></meta></data>'
    ).encode()


def send(collect, xml: bytes) -> Submission:
    response = collect("post", "submission", data=multipart(xml))
    assert response.status_code == 201
    return Submission.objects.get(instance_id=_instance_id(xml))


def _instance_id(xml: bytes) -> str:
    return xml.decode().split("<instanceID>")[1].split("</instanceID>")[0]
