"""Demo data for trying the server: a project, a township with three villages, three users, the
shipped forms and a few households. Loading it twice changes nothing."""

from dataclasses import dataclass

from django.db import transaction

from backend.accounts.models import User
from backend.areas.models import Area, Level
from backend.geo.points import coordinate_text
from backend.households.models import Category, Household
from backend.households.services import household_register
from backend.projects.models import Membership, Project, Role
from forms.library import library_paths
from forms.services import PublishResult, Upload, form_publish

PROJECT_SLUG = "demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


# Published on purpose: these accounts exist only in demo data, never on a real server.
LOGINS = (
    DemoLogin("admin", "demo-admin-2026", Role.ADMIN),
    DemoLogin("supervisor", "demo-supervisor-2026", Role.SUPERVISOR),
    DemoLogin("worker", "demo-worker-2026", Role.COLLECTOR),
)
_NAMES = {
    "admin": "管理员 Admin",
    "supervisor": "王督导 Supervisor Wang",
    "worker": "李帮扶 Worker Li",
}

# (code, name, south-west corner): small squares in the hills of a Guizhou county.
_VILLAGES = (
    ("demo-v01", "东坡村", (106.700, 26.500)),
    ("demo-v02", "西河村", (106.720, 26.500)),
    ("demo-v03", "南山村", (106.700, 26.480)),
)
_SIZE = 0.015  # degrees, about 1.5 km

# (code, head, village index, category, members, income per person, house grade)
_HOUSEHOLDS = (
    ("DP-001", "张建国", 0, Category.EXITED, 4, "6820", "B"),
    ("DP-002", "刘秀英", 0, Category.MONITOR_UNSTABLE, 3, "5120", "C"),
    ("DP-003", "陈永福", 0, Category.MONITOR_SUDDEN, 5, "3980", "D"),
    ("XH-001", "杨桂兰", 1, Category.MONITOR_MARGINAL, 2, "5460", "B"),
    ("XH-002", "黄志强", 1, Category.EXITED, 6, "8150", "A"),
    ("NS-001", "吴德明", 2, Category.ORDINARY, 4, "9300", "A"),
)


@dataclass(frozen=True)
class DemoSummary:
    project: Project
    forms: list[PublishResult]
    households_created: int


def demo_load() -> DemoSummary:
    """Create what is missing of the demo data and publish the shipped forms."""
    with transaction.atomic(durable=True):
        project, _ = Project.objects.get_or_create(
            slug=PROJECT_SLUG, defaults={"name": "演示项目 Demo project", "icon": "户"}
        )
        users = {login.username: _user(project, login) for login in LOGINS}
        villages = _villages()
        created = _households(project, villages, helper=users["worker"])
    # Each publish owns its transaction.
    forms = [
        form_publish(
            project=project,
            source=Upload(name=path.name, content=path.read_bytes()),
            published_by=users["admin"],
        )
        for path in library_paths()
    ]
    return DemoSummary(project=project, forms=forms, households_created=created)


def _user(project: Project, login: DemoLogin) -> User:
    user, created = User.objects.get_or_create(
        username=login.username,
        defaults={"full_name": _NAMES[login.username], "is_staff": login.role == Role.ADMIN},
    )
    if created:
        user.is_superuser = login.role == Role.ADMIN
        user.set_password(login.password)
        user.save()
    Membership.objects.get_or_create(project=project, user=user, defaults={"role": login.role})
    return user


def _square(lon: float, lat: float) -> dict[str, object]:
    ring = [[lon, lat], [lon + _SIZE, lat], [lon + _SIZE, lat + _SIZE], [lon, lat + _SIZE]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _villages() -> list[Area]:
    county, _ = Area.objects.get_or_create(
        code="demo-c01", defaults={"name": "示例县", "level": Level.COUNTY}
    )
    township, _ = Area.objects.get_or_create(
        code="demo-t01", defaults={"name": "示例镇", "level": Level.TOWNSHIP, "parent": county}
    )
    villages = []
    for code, name, (lon, lat) in _VILLAGES:
        village, _ = Area.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": Level.VILLAGE,
                "parent": township,
                "boundary": _square(lon, lat),
            },
        )
        villages.append(village)
    return villages


def _households(project: Project, villages: list[Area], *, helper: User) -> int:
    created = 0
    for index, (code, head, village_index, category, size, income, grade) in enumerate(_HOUSEHOLDS):
        if Household.objects.filter(project=project, code=code).exists():
            continue
        village = villages[village_index]
        lon, lat = _VILLAGES[village_index][2]
        latitude, longitude = lat + 0.003 + 0.002 * index, lon + 0.004 + 0.001 * index
        household_register(
            project=project,
            code=code,
            label=f"{code} {head[0]}*{head[2:]}",
            village=village,
            helper=helper,
            properties={
                "hh_code": code,
                "head_name": head,
                "village": village.code,
                "category": category,
                "hh_size": str(size),
                "income_pc": income,
                "income_year": "2025",
                "house_grade": grade,
                "geometry": f"{coordinate_text(latitude)} {coordinate_text(longitude)} 0 8",
            },
        )
        created += 1
    return created
