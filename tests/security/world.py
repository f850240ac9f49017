"""The county the authorization matrix plays in: two townships, their people, and township A's
records that everyone else aims at.

County C holds townships A and B with one village each (A1, B1). Worker A helps a household in
A1 and is assigned A1; worker B likewise in B1. Supervisor A and B supervise their township, the
township-B admin administers township B, the county admin the whole county. An admin of another
project, a user without a role in `demo` and an anonymous visitor complete the cast.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client, TestCase

from backend.accounts.models import ApiToken, DeviceToken, User
from backend.accounts.services import api_token_issue, device_token_issue
from backend.areas.models import Area, Level
from backend.campaigns.models import Campaign, NodeKind
from backend.campaigns.services import Plan, campaign_plan, campaign_start
from backend.casework.documents import case_document_add
from backend.casework.models import (
    Case,
    CaseAttachment,
    Decision,
    Kind,
    NoticeObjection,
    TriggerSource,
)
from backend.casework.objections import notice_objection_record
from backend.casework.rectification import Assignment, rectification_open_for_flag
from backend.casework.renovation import renovation_open
from backend.casework.services import Trigger, case_open, case_step_decide, case_step_record
from backend.entities.models import Entity
from backend.exports.models import Export, ExportState
from backend.exports.params import ExportParams
from backend.exports.services import export_request
from backend.flags.models import Flag
from backend.households.models import Category, Household
from backend.households.services import household_register
from backend.projects.models import Membership, Project, Role
from backend.submissions.models import AttachmentState, Submission
from forms.models import FormVersion
from forms.services import Upload, form_publish
from tests.entities.trees import CHECK as TREE_CHECK
from tests.entities.trees import PLANT as TREE_PLANT
from tests.entities.trees import plant_xml
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.forms.mdforms import REGISTRATION
from tests.households.entity_forms import register_xml, visit_xml
from tests.sync.conftest import COLLECT_HEADERS, DEVICE
from tests.sync.submissions import jpeg, multipart

PASSWORD = "secret-pass-123"  # UserFactory's
PERSONAS = (
    "worker_a",
    "worker_b",
    "supervisor_a",
    "supervisor_b",
    "admin_b",
    "county_admin",
    "other_admin",
    "no_role",
    "anonymous",
)

# The shipped visit form's shape, cut down to what the matrix needs: a household update with a
# photo (so a submission has an attachment) and an income (so the rules raise a flag).
VISIT = """
| survey |
|        | type                                | name   | label  | save_to     |
|        | select_one_from_file households.csv | hh     | HH     |             |
|        | decimal                             | income | Income | income_pc   |
|        | text                                | grade  | Grade  | house_grade |
|        | image                               | photo  | Photo  |             |
| entities |
|          | list_name  | entity_id |
|          | households | ${hh}     |
| settings |
|          | form_id | version |
|          | visit   | 1       |
"""


def square(lon: float, lat: float, d: float = 0.01) -> dict:
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@dataclass
class World:
    project: Project
    other: Project
    county: Area
    township_a: Area
    township_b: Area
    village_a: Area
    village_b: Area
    users: dict[str, User]  # by persona, anonymous left out; plus "root", a superuser member
    device_tokens: dict[str, tuple[DeviceToken, str]]  # persona -> (token, secret)
    household: Household  # township A's household, helped by worker A
    household_b: Household
    submission: Submission  # worker A's visit of the household, with a photo
    submission_b: Submission  # worker B's visit of the household in B1
    registration: Submission  # worker B's registration in village A1, awaiting approval
    flag: Flag  # open on the township-A household
    export: Export  # supervisor A's, finished
    case: Case  # household A's inclusion, waiting at the township's review
    campaign: Campaign  # a look-back of the whole project, under way, nobody visited yet
    rectification: Case  # household A's unsafe house as a rectification item, handed to housing
    renovation: Case  # household A's renovation, waiting at its appraisal
    api_token: ApiToken  # worker A's personal API token
    visit_version: FormVersion
    tree: Entity  # township A's entity of the second list, `trees`, planted by worker A
    tree_check_version: FormVersion  # the form that reads and updates the trees
    id_number: str
    phone: str
    membership: dict[str, Membership] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # persona -> session key

    @property
    def case_document(self) -> CaseAttachment:
        return self.case.attachments.order_by("pk").first()

    @property
    def case_objection(self) -> NoticeObjection:
        return self.case.objections.get()

    @property
    def secrets_of_a(self) -> list[str]:
        """What identifies township A's people and records: none of it may reach a refusal."""
        return [
            self.household.code,
            str(self.household.uuid),
            self.household.head_name,
            self.id_number,
            self.phone,
            self.submission.instance_id,
            self.device_tokens["worker_a"][0].label,
        ]


def build_world() -> World:
    """Create the county's people and records through the services the app itself uses."""
    project = ProjectFactory(
        slug="demo", name="Demo project", household_creation_needs_approval=True
    )
    other = ProjectFactory(slug="other", name="Other project")
    areas = _areas()
    users, membership = _people(project, other, areas)
    forms = (
        ("register.md", REGISTRATION),
        ("visit.md", VISIT),
        ("plant.md", TREE_PLANT),
        ("check.md", TREE_CHECK),
    )
    for name, source in forms:
        form_publish(
            project=project, source=Upload(name, source.encode()), published_by=users["root"]
        )
    id_number, phone = "520102198001011234", "13900001111"
    household = _household(
        project,
        "SEC-A-0001 郑*",
        areas["village_a"],
        users["worker_a"],
        head_name="郑秘密",
        id_number=id_number,
        phone=phone,
        has_serious_illness="yes",
    )
    household_b = _household(
        project, "SEC-B-0001 钱*", areas["village_b"], users["worker_b"], head_name="钱大山"
    )
    tokens = _device_tokens(project, other, users)
    tree_id = str(uuid.uuid4())
    _send(tokens["worker_a"][1], plant_xml(tree_id, village="sec-a1", species="秘密银杏"))
    submission = _send(
        tokens["worker_a"][1],
        visit_xml(str(household.uuid), 1, income=2000, grade="D", photo="house.jpg"),
        ("house.jpg", jpeg((200, 10, 10))),
    )
    submission_b = _send(
        tokens["worker_b"][1],
        visit_xml(str(household_b.uuid), 1, income=9000, grade="A", photo="home.jpg"),
        ("home.jpg", jpeg((10, 160, 60))),
    )
    world = World(
        project=project,
        other=other,
        **areas,
        users=users,
        device_tokens=tokens,
        household=Household.objects.get(pk=household.pk),
        household_b=household_b,
        submission=Submission.objects.get(pk=submission.pk),
        submission_b=submission_b,
        registration=_send(
            tokens["worker_b"][1],
            register_xml(
                str(uuid.uuid4()), code="SEC-A-NEW", head="孙新户", village="sec-a1", label="A-NEW"
            ),
        ),
        # The monitoring rules open it: worker A's visit found an income below the line.
        flag=Flag.objects.get(household=household, code="income_below_line", state="open"),
        export=_export(project, users["supervisor_a"]),
        case=_case(household, users),
        campaign=_campaign(project, users["county_admin"]),
        rectification=_rectification(household, users),
        renovation=renovation_open(household=household, actor=users["county_admin"])[0],
        api_token=api_token_issue(user=users["worker_a"], name="worker A's script")[0],
        visit_version=FormVersion.objects.get(form__project=project, form__xml_form_id="visit"),
        tree=Entity.objects.get(uuid=tree_id),
        tree_check_version=FormVersion.objects.get(
            form__project=project, form__xml_form_id="check"
        ),
        id_number=id_number,
        phone=phone,
        membership=membership,
        sessions={persona: _session(users[persona]) for persona in PERSONAS[:-1]},
    )
    _check(world)
    return world


def _areas() -> dict[str, Area]:
    county = Area.objects.create(code="sec-c", name="示范县", level=Level.COUNTY)
    township_a = Area.objects.create(
        code="sec-ta", name="东镇", level=Level.TOWNSHIP, parent=county
    )
    township_b = Area.objects.create(
        code="sec-tb", name="西镇", level=Level.TOWNSHIP, parent=county
    )
    village_a = Area.objects.create(
        code="sec-a1",
        name="东坡村",
        level=Level.VILLAGE,
        parent=township_a,
        boundary=square(106.71, 26.51),
    )
    village_b = Area.objects.create(
        code="sec-b1",
        name="西河村",
        level=Level.VILLAGE,
        parent=township_b,
        boundary=square(106.8, 26.6),
    )
    return {
        "county": county,
        "township_a": township_a,
        "township_b": township_b,
        "village_a": village_a,
        "village_b": village_b,
    }


def _people(
    project: Project, other: Project, areas: dict[str, Area]
) -> tuple[dict[str, User], dict[str, Membership]]:
    """Each persona with the role and areas the module docstring describes."""
    cast = {
        "worker_a": (Role.COLLECTOR, areas["village_a"]),
        "worker_b": (Role.COLLECTOR, areas["village_b"]),
        "supervisor_a": (Role.SUPERVISOR, areas["township_a"]),
        "supervisor_b": (Role.SUPERVISOR, areas["township_b"]),
        "admin_b": (Role.ADMIN, areas["township_b"]),
        "county_admin": (Role.ADMIN, areas["county"]),
    }
    users, membership = {}, {}
    for persona, (role, area) in cast.items():
        users[persona] = UserFactory(username=f"sec-{persona}", full_name=persona)
        membership[persona] = MembershipFactory(project=project, user=users[persona], role=role)
        membership[persona].areas.set([area])
    # Village A1's cadre: not a persona, but someone who decides the village's steps of a case.
    users["cadre_a"] = UserFactory(username="sec-cadre_a", full_name="cadre_a")
    MembershipFactory(project=project, user=users["cadre_a"], role=Role.SUPERVISOR).areas.set(
        [areas["village_a"]]
    )
    users["other_admin"] = UserFactory(username="sec-other_admin", full_name="other_admin")
    MembershipFactory(project=other, user=users["other_admin"], role=Role.ADMIN)
    users["no_role"] = UserFactory(username="sec-no_role", full_name="no_role")
    # A superuser who is also a member: a target no township admin may hand a phone to.
    users["root"] = UserFactory(username="sec-root", full_name="root", is_superuser=True)
    membership["root"] = MembershipFactory(project=project, user=users["root"], role=Role.ADMIN)
    return users, membership


def _household(
    project: Project, label: str, village: Area, helper: User, **properties: str
) -> Household:
    code = label.split()[0]
    return household_register(
        project=project,
        code=code,
        label=label,
        village=village,
        helper=helper,
        actor=helper,
        properties={"hh_code": code, "hh_size": "4", **properties},
    )


def _export(project: Project, requester: User) -> Export:
    """A finished export: its task runs as the commit would run it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        export = export_request(
            actor=requester, project=project, kind="households_csv", params=ExportParams()
        )
    return Export.objects.get(pk=export.pk)


# What village A1's cadre records at each village step of an inclusion (kinds.py): a notice
# that ended before the suite's fixed date.
_VILLAGE_STEPS = {
    "household_check": ({"checked_on": "2026-11-10"}, ["consent"]),
    "village_appraisal": (
        {
            "appraised_on": "2026-11-15",
            "attendance": 30,
            "votes_for": 28,
            "votes_against": 0,
            "minutes": "评议通过",
        },
        [],
    ),
    "village_notice": (
        {
            "notice_starts_on": "2026-11-20",
            "notice_ends_on": "2026-11-30",
            "notice_place": "村务公开栏",
        },
        ["notice_photo"],
    ),
}


def _case(household: Household, users: dict[str, User]) -> Case:
    """An inclusion of household A that its village has passed on to township A."""
    case = case_open(
        household=household,
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=users["county_admin"]),
    )
    cadre = users["cadre_a"]
    for values, documents in _VILLAGE_STEPS.values():
        case_step_record(case=case, actor=cadre, values=values)
        for role in documents:
            case_document_add(
                case=case, actor=cadre, role=role, file=ContentFile(b"scan"), name="scan.jpg"
            )
        case = case_step_decide(case=case, actor=cadre, decision=Decision.APPROVE)
    # Raised against the notice, not yet handled (it does not hold up the township's review).
    notice_objection_record(
        case=case, actor=cadre, received_on=date(2026, 12, 1), text="收入核算有误", raised_by="村民"
    )
    return case


def _campaign(project: Project, admin: User) -> Campaign:
    """A look-back of every village, started: households A and B in it, unvisited."""
    nodes = {
        NodeKind.TRAINING: (None, date(2026, 11, 30)),
        NodeKind.VISITS: (date(2026, 12, 1), date(2026, 12, 31)),
        NodeKind.SIGN_OFF: (None, date(2027, 1, 15)),
    }
    campaign = campaign_plan(project=project, actor=admin, plan=Plan(name="回头看", nodes=nodes))
    campaign_start(campaign=campaign, actor=admin)
    return campaign


def _rectification(household: Household, users: dict[str, User]) -> Case:
    """Household A's unsafe house (the visit found grade D) made a rectification item."""
    flag = Flag.objects.get(household=household, code="house_unsafe", state="open")
    case, _opened = rectification_open_for_flag(
        flag=flag,
        actor=users["county_admin"],
        assignment=Assignment(
            measure="加固维修",
            responsible_unit="县住建局",
            responsible_person="住建局王工",
            deadline=date(2027, 3, 31),
            department="housing",
        ),
    )
    return case


def _device_tokens(project, other, users) -> dict[str, tuple[DeviceToken, str]]:
    """A phone for every persona with a user: the token URLs are tried as each of them.

    The other project's admin holds a phone of their own project; the user without a role holds
    one of `demo` from before their membership ended (its role is gone, the token is not).
    """
    tokens = {}
    for persona in PERSONAS[:-1]:
        home = other if persona == "other_admin" else project
        label = "SEC phone of worker A" if persona == "worker_a" else f"{persona}'s phone"
        tokens[persona] = device_token_issue(user=users[persona], project=home, label=label)
    return tokens


def _session(user: User) -> str:
    """A signed-in browser session of the user, made once: each test sends its cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _send(secret: str, xml: bytes, *files: tuple[str, bytes]) -> Submission:
    """Post a submission from a phone, as Collect does, and run its processing."""
    url = f"/key/{secret}/projects/demo/submission?{DEVICE}"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(url, data=multipart(xml, *files), headers=COLLECT_HEADERS)
    assert response.status_code == 201, response.content
    instance_id = xml.decode().split("<instanceID>")[1].split("</instanceID>")[0]
    return Submission.objects.get(instance_id=instance_id)


def _check(world: World) -> None:
    """The matrix means something only if the records it aims at are what it assumes."""
    assert world.household.village == world.village_a
    assert (world.tree.village, world.tree.version) == (world.village_a, 1)
    assert world.household.versions.filter(submission=world.submission).exists()
    assert world.submission.village == world.village_a
    assert world.submission.attachments.filter(state=AttachmentState.RECEIVED).count() == 1
    assert not Household.objects.filter(code="SEC-A-NEW").exists()
    assert world.export.state == ExportState.DONE
    assert (world.case.step, world.case.level) == ("township_review", "township")
    assert (world.rectification.step, world.rectification.household) == ("rectify", world.household)
    assert (world.renovation.step, world.renovation.household) == ("appraisal", world.household)
