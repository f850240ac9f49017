"""access_project_for_phone: a device token opens its own project only, while its holder belongs
to it; a phone without a token is a person like any other."""

import pytest

from backend.accounts.access import access_project_for_phone
from backend.accounts.selectors import device_token_for_secret, device_token_forget
from backend.accounts.services import device_token_issue
from backend.core.errors import NotFound
from backend.projects.models import Membership, Role
from tests.factories import ProjectFactory, UserFactory


def _token(user, project):
    _, secret = device_token_issue(user=user, project=project)
    return secret, device_token_for_secret(secret)  # as a phone's request reads it, with the role


def test_a_token_opens_its_project(project, bob):
    _, token = _token(bob, project)

    assert access_project_for_phone(bob, "demo", device_token=token) == project


def test_a_token_does_not_open_another_project_of_its_holder(project, bob):
    Membership.objects.create(project=ProjectFactory(slug="other"), user=bob, role=Role.COLLECTOR)
    _, token = _token(bob, project)

    with pytest.raises(NotFound):
        access_project_for_phone(bob, "other", device_token=token)


def test_the_token_of_someone_who_left_opens_nothing(project, bob):
    secret, token = _token(bob, project)
    Membership.objects.filter(project=project, user=bob).delete()
    device_token_forget(token)  # the next request reads the token's row again

    with pytest.raises(NotFound):
        access_project_for_phone(bob, "demo", device_token=device_token_for_secret(secret))


def test_a_superusers_token_opens_its_project_without_a_membership(project):
    root = UserFactory(username="root", is_superuser=True)
    _, token = _token(root, project)

    assert access_project_for_phone(root, "demo", device_token=token) == project


def test_without_a_token_the_persons_role_decides(project, bob, mallory):
    assert access_project_for_phone(bob, "demo", device_token=None) == project
    with pytest.raises(NotFound):
        access_project_for_phone(mallory, "demo", device_token=None)
