"""The admin's household form saves through household_edit: the phones' list follows what a line
shows (a new token) and leaves the rest (the same token); a moved household takes its rows along."""

import pytest
from django.urls import reverse

from backend.households.lists import household_list_token, households_for_phone
from backend.households.services import household_register
from tests.factories import UserFactory


@pytest.fixture
def operator(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def registered(project, village, bob):
    return household_register(
        project=project,
        code="H-1",
        label="H-1 王*",
        village=village,
        properties={"hh_size": "4", "head_name": "王五"},
        helper=bob,
    )


def _form_data(client, url):
    """What the change form posts back unchanged: its fields and its inline rows."""
    page = client.get(url)
    form = page.context["adminform"].form
    data = _values(form)
    for inline in page.context["inline_admin_formsets"]:
        data.update(_values(inline.formset.management_form))
        for row in inline.formset.forms:
            data.update(_values(row))
    return data


def _values(form):
    return {
        form.add_prefix(name): "" if form[name].value() is None else form[name].value()
        for name in form.fields
    }


def _save(client, household, **values):
    url = reverse("admin:households_household_change", args=[household.pk])
    response = client.post(url, {**_form_data(client, url), **values})
    assert response.status_code == 302, response.context["errors"]


def _token(project, bob):
    return household_list_token(project, households_for_phone(project=project, actor=bob))


def test_a_new_label_gives_the_list_a_new_token(client, operator, project, bob, registered):
    client.force_login(operator)
    token = _token(project, bob)

    _save(client, registered, label="H-1 李*")

    assert _token(project, bob) != token


def test_a_field_no_line_shows_leaves_the_token(client, operator, project, bob, registered):
    client.force_login(operator)
    token = _token(project, bob)

    _save(client, registered, head_name="李四", member_count="5")

    registered.refresh_from_db()
    assert (registered.head_name, registered.member_count) == ("李四", 5)
    assert _token(project, bob) == token
