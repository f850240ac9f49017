"""Personas for every test: alice runs the project, bob collects, mallory has no role."""

from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from pyxform.xls2xform import convert

from backend.accounts.models import User
from backend.core.cache import forget_generations
from backend.projects.models import Project, Role
from forms.phone_files import forget_phone_versions
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytest_plugins = ["tests.browser", "tests.townships"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: database ids come back after a rollback, so a cached
    token or form of an earlier test could answer for a new one."""
    cache.clear()
    forget_generations()
    forget_phone_versions()


@pytest.fixture(autouse=True)
def _settings_language() -> None:
    """Each test starts in the settings' language: a page request leaves the language its
    middleware chose active in the thread, which would otherwise carry into the next test."""
    translation.activate(settings.LANGUAGE_CODE)


# A Monday morning in the server's time zone. Its one-digit day shows whether a date is
# written padded or not (English: 7 December 2026; Chinese: 2026年12月7日).
FIXED_NOW = datetime(2026, 12, 7, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def fixed_clock() -> Iterator[time_machine.Traveller]:
    """The clock stands at FIXED_NOW and moves on from there, whatever day the tests run."""
    with time_machine.travel(FIXED_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def project(db: None) -> Project:
    return ProjectFactory(slug="demo", name="Demo project")


@pytest.fixture
def alice(project: Project) -> User:
    user = UserFactory(username="alice", full_name="Alice")
    MembershipFactory(project=project, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def sam(project: Project) -> User:
    """A supervisor in the project."""
    user = UserFactory(username="sam", full_name="Sam")
    MembershipFactory(project=project, user=user, role=Role.SUPERVISOR)
    return user


@pytest.fixture
def bob(project: Project) -> User:
    user = UserFactory(username="bob", full_name="Bob")
    MembershipFactory(project=project, user=user, role=Role.COLLECTOR)
    return user


@pytest.fixture
def mallory(db: None) -> User:
    return UserFactory(username="mallory", full_name="Mallory")


@pytest.fixture
def xform_of() -> Callable[[str], str]:
    """Convert a Markdown XLSForm to XForm text, as pyxform's own tests do."""

    def _convert(md: str) -> str:
        return convert(xlsform=md, file_type=".md").xform

    return _convert
