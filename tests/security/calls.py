"""The requests of the matrix, each aimed at township A's records: builders that take the world
and the persona and return the Call to send."""

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.crosscheck.models import DepartmentImport, DepartmentTemplate
from backend.flags.models import Flag, FlagState
from backend.projects.forms import ProjectSettingsForm
from backend.review.forms import RiskWeightsForm
from tests.entities.trees import check_xml
from tests.households.entity_forms import visit_xml
from tests.security.matrix import Build, Call
from tests.security.world import World
from tests.sync.submissions import multipart

# Paths are format strings over the world, `w`.
SLUG = "/p/demo"
HOUSEHOLD = SLUG + "/households/{w.household.uuid}/"
SUBMISSION = SLUG + "/submissions/{w.submission.pk}/"
REGISTRATION = SLUG + "/submissions/{w.registration.pk}/"
MEMBER = SLUG + "/admin/people/{w.membership[worker_a].user_id}/"
API = "/api/v1/projects/demo"
VISIT_FORM = "forms/{w.visit_version.form.xml_form_id}/{w.visit_version.md5}"
TREE_FORM = "forms/check/{w.tree_check_version.md5}"
TREES = API + "/datasets/trees/entities"

Data = dict[str, Any] | Callable[[World], dict[str, Any]] | None


def get(path: str) -> Build:
    return lambda w, persona: Call("GET", path.format(w=w))


def post(path: str, data: Data = None) -> Build:
    """A form post; `data` may be built from the world (files are read once, so fresh each time)."""
    return lambda w, persona: Call(
        "POST", path.format(w=w), data=data(w) if callable(data) else data
    )


def api_post(path: str, payload: dict[str, Any]) -> Build:
    return lambda w, persona: Call("POST", path.format(w=w), json=payload)


def phone(method: str, tail: str, data: Data = None, *, keyed: bool) -> Build:
    """An OpenRosa request as Collect sends it: with the persona's password (Basic over HTTPS),
    or to the persona's token URL. Anonymous callers send no password, or an unknown token."""

    def build(w: World, persona: str) -> Call:
        if keyed:
            secret = w.device_tokens[persona][1] if persona in w.device_tokens else "x" * 64
            prefix = f"/key/{secret}/projects/demo/"
        else:
            prefix = "/projects/demo/"
        body = data(w) if callable(data) else data
        auth = "token" if keyed else "basic"
        return Call(method, prefix + tail.format(w=w), data=body, auth=auth)

    return build


def upload(name: str, content: bytes, content_type: str = "text/plain") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def area_import(**changes: str) -> Callable[[World, str], Call]:
    """An area import naming village A1 (its boundary kept, so only `changes` differ).

    Areas are shared by every project: the other project's admin imports into their own.
    """

    def build(w: World, persona: str) -> Call:
        props = {"code": "sec-a1", "name": "东坡村", "level": "village", "parent": "sec-ta"}
        feature = {
            "type": "Feature",
            "properties": {**props, **changes},
            "geometry": w.village_a.boundary,
        }
        body = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
        project = "other" if persona == "other_admin" else "demo"
        return Call(
            "POST",
            f"/p/{project}/admin/areas/import",
            data={"file": upload("areas.geojson", body, "application/geo+json")},
        )

    return build


def registry(*rows: str) -> Callable[[World], dict[str, Any]]:
    """A household import file with these rows (code, head of household, village)."""
    text = "code,head_name,village\n" + "".join(f"{row}\n" for row in rows)
    return lambda w: {"file": upload("registry.csv", text.encode(), "text/csv")}


def settings_data(w: World) -> dict[str, Any]:
    """The settings page's form as it is filled in: saving it changes nothing."""
    form = ProjectSettingsForm(instance=w.project)
    return {name: form[name].value() for name in form.fields if form[name].value() is not False}


def weights_data(w: World) -> dict[str, Any]:
    form = RiskWeightsForm(project=w.project)
    return {name: value for name in form.fields if (value := form[name].value()) is not None}


def entity_update(w: World) -> dict[str, Any]:
    """A visit that updates township A's household (update="true", its UUID and version)."""
    xml = visit_xml(str(w.household.uuid), w.household.version, income=90000, grade="A")
    return multipart(xml.replace(b'update="1"', b'update="true"'))


def tree_update(w: World) -> dict[str, Any]:
    """A check that updates township A's tree, an entity of the second list."""
    return multipart(check_xml(str(w.tree.uuid), w.tree.version, height=12, health="good"))


def tree_secrets(w: World) -> list[str]:
    """What identifies township A's tree."""
    return [str(w.tree.uuid), w.tree.label]


def api_delete(path: str) -> Build:
    return lambda w, persona: Call("DELETE", path.format(w=w))


def edit_of_a(w: World) -> dict[str, Any]:
    """An edit naming worker A's submission as the one it replaces (its photo carried over)."""
    xml = visit_xml(
        str(w.household.uuid),
        w.household.version,
        deprecated=w.submission.instance_id,
        income=2500,
        grade="D",
        photo="house.jpg",
    )
    return multipart(xml)


def access_log(path: str) -> Build:
    """The access log, holding worker A's look at township A's household and submission."""

    def build(w: World, persona: str) -> Call:
        for object_type, object_id in (
            ("household", w.household.uuid),
            ("submission", w.submission.pk),
        ):
            access_log_record(
                user=w.users["worker_a"],
                project_id=w.project.pk,
                kind=AccessKind.VIEW_HOUSEHOLD
                if object_type == "household"
                else AccessKind.VIEW_SUBMISSION,
                object_type=object_type,
                object_ids=[object_id],
                ip="10.0.0.1",
            )
        return Call("GET", path.format(w=w))

    return build


def department_records(path: str) -> Build:
    """The department records page, with township A's household waiting to be verified."""

    def build(w: World, persona: str) -> Call:
        Flag.objects.get_or_create(
            project=w.project,
            household=w.household,
            village=w.household.village,
            code="dept_verify",
            state=FlagState.OPEN,
            defaults={"severity": "serious", "evidence": {}},
        )
        return Call("GET", path.format(w=w))

    return build


def _template(w: World) -> DepartmentTemplate:
    template, _created = DepartmentTemplate.objects.get_or_create(
        project=w.project,
        name="traffic",
        defaults={"department": "traffic", "id_column": "ID", "columns": {"vehicle_value": "V"}},
    )
    return template


def department_file(path: str) -> Build:
    """A traffic police file naming township A's head of household."""

    def build(w: World, persona: str) -> Call:
        data = {
            "template": _template(w).pk,
            "data_date": "2026-11-30",
            "file": upload("cars.csv", f"ID,V\n{w.id_number},90000\n".encode(), "text/csv"),
        }
        return Call("POST", path.format(w=w), data=data)

    return build


def department_import(path: str) -> Build:
    """A department file already read, by its number."""

    def build(w: World, persona: str) -> Call:
        record, _created = DepartmentImport.objects.get_or_create(
            project=w.project,
            file_name="cars.csv",
            defaults={
                "template": _template(w),
                "department": "traffic",
                "data_date": date(2026, 11, 30),
                "state": "done",
            },
        )
        return Call("GET", path.format(w=w, import_id=record.pk))

    return build
