"""The campaign pages: the county plans seed 003's campaign in a form, starts it, reads the
progress; a village signs on its page, and a refusal says why in the page."""

from datetime import date

import pytest
from django.test import Client

from backend.campaigns.models import Campaign, CampaignState
from backend.projects.models import Role
from tests.campaigns.test_campaign_flow import on
from tests.households.entity_forms import send, visit_xml
from tests.townships import member

pytestmark = pytest.mark.django_db

PLAN = {
    "name": "2027年回头看",
    "training_until": "2027-04-05",
    "visits_from": "2027-04-08",
    "visits_until": "2027-04-30",
    "compilation_from": "2027-04-30",
    "compilation_until": "2027-05-10",
    "department_checks_from": "2027-05-10",
    "department_checks_until": "2027-05-16",
    "sign_off_until": "2027-05-20",
}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_county_plans_starts_and_follows_a_campaign(project, alice, collect, village, homes):
    with on(date(2027, 4, 1)):  # signed in on the day: a session of today would have expired
        client = signed_in(alice)
        planned = client.post("/p/demo/campaigns/", {**PLAN, "villages": [village.pk]})
        assert planned.status_code == 302
        campaign = Campaign.objects.get()
        assert campaign.nodes.count() == 5
        started = client.post(f"/p/demo/campaigns/{campaign.pk}/start", follow=True)
    assert "3" in started.content.decode()
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.ACTIVE
    with on(date(2027, 4, 9)):
        send(collect, visit_xml(homes["H-1"], 1, size=4))
    with on(date(2027, 4, 10)):
        client = signed_in(alice)
        page = client.get(f"/p/demo/campaigns/{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="tile-visited">1<' in html
    assert 'id="tile-remaining">2<' in html
    assert "H-2 王*" in html and "H-3 王*" in html  # noqa: PT018  the unvisited, listed


def test_a_plan_out_of_order_is_refused_in_the_form(project, alice, village):
    client = signed_in(alice)
    bad = client.post("/p/demo/campaigns/", {**PLAN, "training_until": "2027-06-01"})
    assert bad.status_code == 400
    assert not Campaign.objects.exists()


def test_a_village_sign_off_with_households_unvisited_is_refused_on_the_page(
    project, alice, collect, village, campaign
):
    cadre = member(project, "village_cadre", Role.SUPERVISOR, village)
    with on(date(2027, 5, 18)):
        client = signed_in(cadre)
        refused = client.post(
            f"/p/demo/campaigns/{campaign.pk}/sign", {"area": village.pk, "signer_name": "村书记"}
        )
    assert refused.status_code == 409
    assert "3 households of 东坡村" in refused.content.decode()
    assert not campaign.sign_offs.exists()


def test_a_supervisor_plans_nothing_and_signs_only_for_their_area(project, village, campaign):
    cadre = member(project, "village_cadre", Role.SUPERVISOR, village)
    client = signed_in(cadre)
    assert client.post("/p/demo/campaigns/", PLAN).status_code == 403
    assert client.post(f"/p/demo/campaigns/{campaign.pk}/start").status_code == 403
    other = client.post(
        f"/p/demo/campaigns/{campaign.pk}/sign", {"area": village.parent.pk, "signer_name": "x"}
    )
    assert other.status_code == 404
    assert not Campaign.objects.filter(name="2027年回头看").exists()
