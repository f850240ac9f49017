"""The household list's version token (the manifest hash and ETag) changes exactly when the bytes
a phone would download change: random changes to households, areas and forms, each made through
the service a person would use, and after each one every phone asks the real OpenRosa endpoints.

A household's code places its line in the list, so a new code counts as a change of the line even
when the order stays (knowing would take every neighbour's code): for that step only the one
direction holds, new bytes always bring a new token.
"""

import csv
import io
import itertools
import uuid
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.accounts.services import device_token_issue
from backend.areas.models import Area, Level
from backend.households.area_edits import area_save
from backend.households.models import Household
from backend.households.services import (
    household_edit,
    household_register,
    household_resolve_conflict,
)
from backend.pipeline.intake import submission_decide
from backend.projects.models import Membership, Role
from backend.submissions.models import Submission
from forms.models import Form, FormState
from forms.services import Upload, form_publish, form_set_state
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.sync.conftest import COLLECT_HEADERS, DEVICE
from tests.sync.submissions import multipart

NS = "{http://openrosa.org/xforms/xformsManifest}"
LIST_NS = "{http://openrosa.org/xforms/xformsList}"
# A visit that reads hh_size from the list and saves hh_size and a remark no form reads.
VISIT = """
| survey |
|  | type | name | label | calculation | save_to |
|  | select_one_from_file households.csv | hh | HH | | |
|  | calculate | before | | instance('households')/root/item[name=${hh}]/hh_size | |
|  | integer | size | Size | | hh_size |
|  | text | remark | Remark | | remark |
| entities |
|  | list_name | entity_id |
|  | households | ${hh} |
| settings |
|  | form_id | version |
|  | tvisit | 1 |
"""
# Opened and closed by the steps: while open, the list has a `water` column.
WATER = """
| survey |
|  | type | name | label | calculation |
|  | select_one_from_file households.csv | hh | HH | |
|  | calculate | water | | instance('households')/root/item[name=${hh}]/water |
| settings |
|  | form_id | version |
|  | twater | 1 |
"""
TEXTS = st.sampled_from(["A", "B", "a,b", 'say "hi"', "two\nlines", "张三", ""])
SIZES = st.sampled_from(["3", "4", "5"])
WHO = st.sampled_from(["worker", "admin", None])
PICK = st.integers(min_value=0, max_value=7)
CODES = st.sampled_from(["a", "m", "z", "b2"])

STEPS = st.one_of(
    st.tuples(st.just("label"), PICK, TEXTS),
    st.tuples(st.just("note"), PICK, TEXTS),
    st.tuples(st.just("head"), PICK, TEXTS),  # a field no line shows
    st.tuples(st.just("code"), PICK, CODES),
    st.tuples(st.just("move"), PICK, PICK),
    st.tuples(st.just("helper"), PICK, WHO),
    st.tuples(st.just("resolve"), PICK),
    st.tuples(st.just("visit"), PICK, SIZES, TEXTS),
    st.tuples(st.just("review"), PICK, st.sampled_from(["has_issues", "approved"]), TEXTS),
    st.tuples(st.just("register"), PICK, WHO, SIZES),
    st.tuples(st.just("delete"), PICK),
    st.tuples(st.just("village_code"), PICK, CODES),
    st.tuples(st.just("village_name"), PICK, TEXTS),
    st.tuples(st.just("village_parent"), PICK, st.booleans()),
    st.tuples(st.just("water_form"), st.booleans()),
)
TOKEN_RUNS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_worlds = itertools.count()


@dataclass
class Phone:
    """One person's phone: their token URL and what the list looked like at the last look."""

    base: str
    manifest: str = ""
    media: str = ""
    seen: tuple[str, bytes] = ("", b"")


@dataclass
class World:
    project: object
    townships: list[Area]
    villages: list[Area]
    users: dict[str, object]
    phones: dict[str, Phone] = field(default_factory=dict)
    registered: int = 0

    def households(self) -> list[Household]:
        return list(Household.objects.filter(project=self.project).order_by("pk"))

    def household(self, pick: int) -> Household | None:
        households = self.households()
        return households[pick % len(households)] if households else None

    def village(self, pick: int) -> Area:
        return self.villages[pick % len(self.villages)]


def _world() -> World:
    n = next(_worlds)
    project = ProjectFactory(slug=f"token-{n}")
    county = Area.objects.create(code=f"w{n}", name="县", level=Level.COUNTY)
    townships = [
        Area.objects.create(code=f"w{n}-{t}", name=t, level=Level.TOWNSHIP, parent=county)
        for t in ("east", "west")
    ]
    villages = [
        Area.objects.create(
            code=f"w{n}-v{i}", name=f"村{i}", level=Level.VILLAGE, parent=townships[i % 2]
        )
        for i in range(3)
    ]
    users = {
        role: UserFactory(username=f"{role}-{n}")
        for role in ("admin", "supervisor", "worker", "village")
    }
    MembershipFactory(project=project, user=users["admin"], role=Role.ADMIN)
    for role, area in (("supervisor", townships[0]), ("worker", villages[1])):
        kind = Role.SUPERVISOR if role == "supervisor" else Role.COLLECTOR
        MembershipFactory(project=project, user=users[role], role=kind)
        Membership.objects.get(project=project, user=users[role]).areas.set([area])
    MembershipFactory(project=project, user=users["village"], role=Role.SUPERVISOR)
    Membership.objects.get(project=project, user=users["village"]).areas.set([villages[2]])
    for name, md in (("tvisit.md", VISIT), ("twater.md", WATER)):
        form_publish(project=project, source=Upload(name, md.encode()), published_by=None)
    form_set_state(form=Form.objects.get(project=project, xml_form_id="twater"), state="closed")
    world = World(project=project, townships=townships, villages=villages, users=users)
    for i, (village, helper) in enumerate(((0, "worker"), (1, None), (2, "admin"))):
        _register(world, village, helper, str(3 + i))
    for role, user in users.items():
        _, secret = device_token_issue(user=user, project=project)
        world.phones[role] = Phone(base=f"/key/{secret}/projects/{project.slug}/")
    return world


def _register(world: World, pick: int, helper: str | None, size: str) -> None:
    world.registered += 1
    code = f"r{world.registered}"
    household_register(
        project=world.project,
        code=code,
        label=f"{code} 王*",
        village=world.village(pick),
        properties={"hh_size": size, "water": "well", "remark": "-"},
        helper=world.users[helper] if helper else None,
    )


def _edit(world: World, pick: int, **values: object) -> None:
    """What the admin's change form does: the stored row, the edited fields, the service."""
    household = world.household(pick)
    if household is None:
        return
    for name, value in values.items():
        setattr(household, name, value)
    household_edit(household=household)


def _edit_area(area: Area, **values: object) -> None:
    area = Area.objects.get(pk=area.pk)
    for name, value in values.items():
        setattr(area, name, value)
    area_save(area=area)


def _visit(world: World, client: Client, pick: int, size: str, remark: str) -> None:
    household = world.household(pick)
    if household is None:
        return
    xml = (
        f'<data id="tvisit" version="1"><hh>{household.uuid}</hh><size>{size}</size>'
        f"<remark>{_escape(remark)}</remark><meta><instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f'<entity dataset="households" id="{household.uuid}" update="1" '
        f'baseVersion="{household.version}" trunkVersion="" branchId=""/></meta></data>'
    ).encode()
    url = f"{world.phones['admin'].base}submission?{DEVICE}"
    response = client.post(url, data=multipart(xml), headers=COLLECT_HEADERS)
    assert response.status_code == 201, response.content


def _review(world: World, pick: int, state: str, comment: str) -> None:
    """A supervisor's decision: "has issues" puts its comment on the households as their note."""
    submissions = list(Submission.objects.filter(project=world.project).order_by("pk"))
    if submissions:
        submission = submissions[pick % len(submissions)]
        actor = world.users["admin"]
        submission_decide(submission=submission, actor=actor, state=state, comment=comment or "-")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _recode(world: World, pick: int, code: str) -> None:
    taken = set(Household.objects.filter(project=world.project).values_list("code", flat=True))
    if code not in taken:  # the admin's form refuses a code in use
        _edit(world, pick, code=code)


def _resolve(world: World, pick: int) -> None:
    household = world.household(pick)
    if household is not None:
        household_resolve_conflict(household=household, actor=world.users["admin"], note="ok")


def _delete(world: World, pick: int) -> None:
    household = world.household(pick)
    if household is not None:
        household.delete()  # what the admin's delete does


def _recode_village(world: World, pick: int, code: str) -> None:
    code = f"{world.villages[0].code.split('-')[0]}-{code}"
    if not Area.objects.filter(code=code).exists():  # the admin's form refuses a code in use
        _edit_area(world.village(pick), code=code)


def _water_form(world: World, open_it: bool) -> None:
    form = Form.objects.get(project=world.project, xml_form_id="twater")
    form_set_state(form=form, state=FormState.OPEN if open_it else FormState.CLOSED)


# Each kind of step, made as a person would make it.
CHANGES = {
    "label": lambda world, pick, text: _edit(world, pick, label=text or "-"),
    "note": lambda world, pick, text: _edit(world, pick, review_note=text),
    "head": lambda world, pick, text: _edit(world, pick, head_name=text),
    "code": _recode,
    "move": lambda world, pick, to: _edit(world, pick, village=world.village(to)),
    "helper": lambda world, pick, who: _edit(world, pick, helper=world.users[who] if who else None),
    "resolve": _resolve,
    "review": lambda world, *args: _review(world, *args),
    "register": lambda world, *args: _register(world, *args),
    "delete": _delete,
    "village_code": _recode_village,
    "village_name": lambda world, pick, text: _edit_area(world.village(pick), name=text or "-"),
    "village_parent": lambda world, pick, east: _edit_area(
        world.village(pick), parent=world.townships[int(east)]
    ),
    "water_form": _water_form,
}


def _step(world: World, client: Client, step: tuple) -> None:
    kind, *args = step
    if kind == "visit":
        _visit(world, client, *args)
    else:
        CHANGES[kind](world, *args)


def _look(client: Client, phone: Phone) -> tuple[str, bytes]:
    """The list's token (its ETag) and its bytes, as a phone downloads them."""
    if not phone.media:
        forms = ElementTree.fromstring(_get(client, f"{phone.base}formList?formID=tvisit").content)
        (xform,) = forms
        phone.manifest = xform.find(f"{LIST_NS}manifestUrl").text.removeprefix("http://testserver")
        phone.media = _listed(client, phone)[1]
    download = _get(client, phone.media)
    return download["ETag"].strip('"'), b"".join(download.streaming_content)


def _listed(client: Client, phone: Phone) -> tuple[str, str]:
    """The list's hash in the manifest (without `md5:`), and where to download the list."""
    manifest = ElementTree.fromstring(_get(client, phone.manifest).content)
    (entry,) = (m for m in manifest if m.find(f"{NS}filename").text == "households.csv")
    url = entry.find(f"{NS}downloadUrl").text.removeprefix("http://testserver")
    return entry.find(f"{NS}hash").text.removeprefix("md5:"), url


def _get(client: Client, url: str):
    response = client.get(f"{url}{'&' if '?' in url else '?'}{DEVICE}", headers=COLLECT_HEADERS)
    assert response.status_code == 200, (url, response.status_code)
    return response


@TOKEN_RUNS
@given(steps=st.lists(STEPS, min_size=1, max_size=6))
def test_the_token_changes_exactly_when_the_bytes_do(steps, db, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        world = _world()
    for phone in world.phones.values():
        with django_capture_on_commit_callbacks(execute=True):
            phone.seen = _look(client, phone)
    for step in steps:
        with django_capture_on_commit_callbacks(execute=True):
            _step(world, client, step)
        for role, phone in world.phones.items():
            with django_capture_on_commit_callbacks(execute=True):
                now = _look(client, phone)
            token_moved, bytes_moved = now[0] != phone.seen[0], now[1] != phone.seen[1]
            context = (step, role, phone.seen[1], now[1])
            if step[0] == "code":
                assert token_moved or not bytes_moved, context
            else:
                assert token_moved == bytes_moved, context
            phone.seen = now
    for phone in world.phones.values():  # the manifest tells the phones the same token
        assert _listed(client, phone)[0] == phone.seen[0]


def test_the_list_shows_what_the_steps_change(db, django_capture_on_commit_callbacks):
    """The property above means something only if the steps reach the list: they do."""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        world = _world()
        before = _look(client, world.phones["admin"])
        _step(world, client, ("village_code", 0, "z"))
        _step(world, client, ("water_form", True))
        after = _look(client, world.phones["admin"])

    rows = list(csv.DictReader(io.StringIO(after[1].decode())))
    assert before[0] != after[0]
    assert "water" in rows[0]
    assert {row["village"] for row in rows} >= {world.villages[0].code.split("-")[0] + "-z"}
