"""A county with two townships, A and B, and the people of each: the world of the scope tests.

Alice (from tests/conftest.py) is the county's admin: an admin without assigned areas.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from backend.accounts.models import User
from backend.accounts.services import device_token_issue
from backend.areas.models import Area, Level
from backend.households.models import Household
from backend.projects.models import Membership, Project, Role
from tests.factories import MembershipFactory, UserFactory
from tests.sync.conftest import COLLECT_HEADERS, DEVICE
from tests.sync.submissions import multipart


@dataclass(frozen=True)
class Townships:
    county: Area
    a: Area
    b: Area
    a1: Area
    b1: Area
    worker_a: User
    worker_b: User
    supervisor_a: User
    supervisor_b: User
    admin_b: User
    home_a: Household
    home_b: Household


def member(project: Project, name: str, role: Role, *areas: Area) -> User:
    user = UserFactory(username=name, full_name=name)
    membership: Membership = MembershipFactory(project=project, user=user, role=role)
    membership.areas.set(areas)
    return user


def home(project: Project, code: str, village: Area, helper: User) -> Household:
    return Household.objects.create(
        project=project,
        code=code,
        label=f"{code} 李*",
        village=village,
        head_name="李四",
        helper=helper,
        properties={"hh_code": code, "hh_size": "3", "income_pc": "9000"},
    )


@pytest.fixture
def townships(project: Project, alice: User) -> Townships:
    county = Area.objects.create(code="520000", name="County", level=Level.COUNTY)
    a = Area.objects.create(code="5201", name="Township A", level=Level.TOWNSHIP, parent=county)
    b = Area.objects.create(code="5202", name="Township B", level=Level.TOWNSHIP, parent=county)
    a1 = Area.objects.create(code="520101", name="Village A1", level=Level.VILLAGE, parent=a)
    b1 = Area.objects.create(code="520201", name="Village B1", level=Level.VILLAGE, parent=b)
    worker_a = member(project, "worker_a", Role.COLLECTOR, a1)
    worker_b = member(project, "worker_b", Role.COLLECTOR, b1)
    return Townships(
        county=county,
        a=a,
        b=b,
        a1=a1,
        b1=b1,
        worker_a=worker_a,
        worker_b=worker_b,
        supervisor_a=member(project, "supervisor_a", Role.SUPERVISOR, a),
        supervisor_b=member(project, "supervisor_b", Role.SUPERVISOR, b),
        admin_b=member(project, "admin_b", Role.ADMIN, b),
        home_a=home(project, "A1-001", a1, worker_a),
        home_b=home(project, "B1-001", b1, worker_b),
    )


@pytest.fixture
def phone_of(project: Project, django_capture_on_commit_callbacks: Callable) -> Callable:
    """Post one submission from a new phone of the given person, and run what follows it."""

    def post(user: User, xml: bytes, *files: tuple[str, bytes]) -> object:
        _, secret = device_token_issue(user=user, project=project, label="phone")
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                f"/key/{secret}/projects/demo/submission?{DEVICE}",
                data=multipart(xml, *files),
                headers=COLLECT_HEADERS,
            )

    return post
