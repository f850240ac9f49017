"""The household page (backend/households/pages.py), on the review scenario of conftest.py."""

from django.test import Client
from django.urls import reverse

from backend.audit.models import AccessKind, AccessLog
from backend.audit.privacy import Personal, mask
from backend.flags.models import FlagState
from backend.households.models import Conflict, Household


def _url(household, name="households:page", *extra):
    return reverse(name, args=["demo", household.uuid, *extra])


def test_shows_state_timeline_with_changes_and_renovation_photos(
    client: Client, sam, flagged, homes
):
    client.force_login(sam)
    response = client.get(_url(homes["east"]))
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert [entry.version.version for entry in timeline] == [2, 1]
    changes = {change.key: change for change in timeline[0].changes}
    assert (changes["house_grade"].before, changes["house_grade"].after) == (
        "C: partially dangerous",
        "D: whole building dangerous",
    )
    before = dict(response.context["stages"])["before"]
    assert [photo.name for photo in before] == ["front.jpg"]
    assert {p["kind"] for p in response.context["map"]["points"]} == {"household", "photo"}
    assert "A photo repeats an earlier photo" in response.content.decode()


def test_health_data_is_masked_until_revealed_and_the_reveal_is_logged(client: Client, sam, homes):
    client.force_login(sam)
    response = client.get(_url(homes["east"]))
    rows = {row.key: row for row in response.context["properties"]}
    assert (rows["has_serious_illness"].value, rows["has_serious_illness"].sensitive) == (
        "****",
        True,
    )
    assert "Show personal data" in response.content.decode()
    revealed = client.post(_url(homes["east"]), {"reveal": "1"})
    rows = {row.key: row for row in revealed.context["properties"]}
    assert rows["has_serious_illness"].value == "Yes"
    kinds = list(AccessLog.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [AccessKind.VIEW_HOUSEHOLD, AccessKind.REVEAL]


def test_id_numbers_keep_only_their_last_four_characters():
    assert mask(Personal.ID_NUMBER, "52010219800101123X") == "**************123X"
    assert mask(Personal.ID_NUMBER, "12") == "****"


def test_resolve_conflict(client: Client, sam, homes):
    household = homes["east"]
    Household.objects.filter(pk=household.pk).update(conflict=Conflict.HARD)
    client.force_login(sam)
    assert "Conflict to resolve" in client.get(_url(household)).content.decode()
    assert client.post(_url(household, "households:resolve"), {"note": ""}).status_code == 400
    response = client.post(_url(household, "households:resolve"), {"note": "以第二次走访为准"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.conflict, household.conflict_resolved_by) == (Conflict.NONE, sam)


def test_clear_flag_with_a_note(client: Client, sam, flagged, homes):
    flag = homes["east"].flags.get(code="photo_duplicate")
    client.force_login(sam)
    url = _url(homes["east"], "households:clear_flag", flag.pk)
    assert client.post(url, {"note": "已核实"}).status_code == 302
    flag.refresh_from_db()
    assert (flag.state, flag.cleared_by, flag.note) == (FlagState.CLOSED, sam, "已核实")


def test_scoped_by_area(client: Client, east_supervisor, mallory, bob, homes):
    client.force_login(east_supervisor)
    assert client.get(_url(homes["east"])).status_code == 200
    assert client.get(_url(homes["west"])).status_code == 404
    assert client.get("/p/demo/households/not-a-uuid/").status_code == 404
    client.force_login(mallory)
    assert client.get(_url(homes["east"])).status_code == 404
    assert not AccessLog.objects.filter(user=mallory).exists()
    client.force_login(bob)
    assert client.get(_url(homes["east"])).status_code == 403
