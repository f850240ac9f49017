"""Project settings and risk weights (backend/projects/pages.py)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from backend.flags.models import RiskWeight
from backend.projects.forms import SETTINGS_FIELDS, ProjectSettingsForm
from backend.projects.models import Project


def _settings(**changes):
    """Every setting as the page posts it: the project's defaults, then the changes."""
    project = Project(name="Demo project")
    data = {name: getattr(project, name) for name in SETTINGS_FIELDS}
    data = {k: v for k, v in data.items() if not isinstance(v, bool)}  # unchecked: not posted
    data.update(changes)
    return data


def test_page_shows_every_setting_and_the_flag_codes(client: Client, alice):
    client.force_login(alice)
    response = client.get(reverse("projects:settings", args=["demo"]))
    assert response.status_code == 200
    assert tuple(response.context["settings_form"].fields) == SETTINGS_FIELDS
    assert "weight_income_below_line" in response.context["weights_form"].fields
    assert 'placeholder="10"' in response.content.decode()


def test_save_settings(client: Client, alice, project):
    client.force_login(alice)
    url = reverse("projects:save", args=["demo"])
    data = _settings(
        monitoring_line="7000.50", visit_cadence_days="90", household_creation_needs_approval="on"
    )
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.monitoring_line == Decimal("7000.50")
    assert project.visit_cadence_days == 90
    assert project.household_creation_needs_approval is True


def test_thresholds_and_the_area_standard_are_settings(client: Client, alice, project):
    client.force_login(alice)
    url = reverse("projects:save", args=["demo"])
    assert (
        client.post(url, _settings(gps_accuracy_max_m="30", reno_max_small="80")).status_code == 302
    )
    project.refresh_from_db()
    assert (project.gps_accuracy_max_m, project.reno_max_small) == (30, 80)


def test_bad_settings_are_shown_and_not_saved(client: Client, alice, project):
    client.force_login(alice)
    response = client.post(
        reverse("projects:save", args=["demo"]), _settings(monitoring_line="lots", name="")
    )
    assert response.status_code == 400
    assert set(response.context["settings_form"].errors) == {"monitoring_line", "name"}
    project.refresh_from_db()
    assert project.name == "Demo project"


def test_weights_set_and_reset(client: Client, alice, project):
    RiskWeight.objects.create(project=project, code="house_unsafe", weight=3)
    client.force_login(alice)
    url = reverse("projects:weights", args=["demo"])
    response = client.post(url, {"weight_income_below_line": "25", "weight_house_unsafe": ""})
    assert response.status_code == 302
    assert dict(RiskWeight.objects.values_list("code", "weight")) == {"income_below_line": 25}
    refused = client.post(url, {"weight_income_below_line": "5000"})
    assert refused.status_code == 400
    assert RiskWeight.objects.get().weight == 25


def test_new_project_fields_join_through_the_one_list():
    assert ProjectSettingsForm._meta.fields == SETTINGS_FIELDS
    assert all(hasattr(Project, name) for name in SETTINGS_FIELDS)


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "projects:settings"), ("post", "projects:save"), ("post", "projects:weights")],
)
def test_only_project_admins(client: Client, alice, sam, bob, mallory, project, method, name):
    for user, status in ((mallory, 404), (bob, 403), (sam, 403)):
        client.force_login(user)
        data = _settings(name="Hijacked") if method == "post" else None
        assert getattr(client, method)(reverse(name, args=["demo"]), data).status_code == status
    project.refresh_from_db()
    assert project.name == "Demo project"


def test_save_needs_the_csrf_token(alice, project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("projects:save", args=["demo"]), _settings(name="X"))
    assert response.status_code == 403
