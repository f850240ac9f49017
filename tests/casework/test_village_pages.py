"""A village's notice pages through the real client: several notice steps approved at once (each
on its own, a refused one reported with why), and the public-notice list to print, which names
households but never their ID numbers, phones or health. The clock stands on 7 December 2026."""

from datetime import timedelta

import pytest

from backend.casework.models import Case
from backend.casework.services import case_step_record
from tests.casework.conftest import approve, fill
from tests.casework.pages import opened, shown, signed_in
from tests.casework.pdftext import pdf_text

pytestmark = pytest.mark.django_db

ID_NUMBER = "520102198001011234"
PHONE = "13900001111"


def village_url(world, tail: str = "") -> str:
    return f"/p/demo/cases/villages/{world.places.a1.code}/{tail}"


def at_notice(world, code: str, **properties) -> Case:
    """An inclusion whose village has passed the check and the appraisal."""
    case = approve(world, approve(world, opened(world, code, **properties)))
    assert case.step == "village_notice"
    return case


@pytest.fixture
def notices(world, fixed_clock):
    """Three cases of village A1: one ready to approve once its notice ends, one whose notice
    lacks the photo of the board, one still at the household check."""
    ready = at_notice(world, "N-READY")
    fill(world, ready)
    unphotographed = at_notice(world, "N-NOPHOTO")
    case_step_record(
        case=unphotographed,
        actor=world.cadre_a1,
        values={
            "notice_starts_on": "2026-12-07",
            "notice_ends_on": "2026-12-14",
            "notice_place": "村委会公示栏",
        },
    )
    early = opened(world, "N-EARLY")
    fixed_clock.shift(timedelta(days=8))  # the notices have ended
    return ready, unphotographed, early


def test_the_village_page_lists_the_notices_i_approve(world, notices):
    ready = notices[0]
    page = signed_in(world.cadre_a1).get(village_url(world))
    assert page.status_code == 200
    text = shown(page)
    assert "N-READY" in text
    assert "N-NOPHOTO" in text
    assert "N-EARLY" not in text
    assert f'value="{ready.pk}"' in page.text
    # The township sees the list but approves no village step.
    township = signed_in(world.places.supervisor_a).get(village_url(world))
    assert "N-READY" in shown(township)
    assert f'value="{ready.pk}"' not in township.text


def test_a_bulk_approval_approves_each_it_can_and_says_why_not_for_the_others(world, notices):
    ready, unphotographed, early = notices
    response = signed_in(world.cadre_a1).post(
        village_url(world, "approve"),
        {"cases": [ready.pk, unphotographed.pk, early.pk, 999999], "comment": "公示无异议"},
        follow=True,
    )
    assert response.status_code == 200
    text = shown(response)
    assert "Approved: N-READY" in text
    assert "Not approved: N-NOPHOTO" in text
    assert "Missing document: Photo of the notice board." in text
    assert "The case is not on this village's notice list." in text
    assert "Case not found." in text
    ready.refresh_from_db()
    unphotographed.refresh_from_db()
    early.refresh_from_db()
    assert (ready.step, ready.level) == ("township_review", "township")
    assert ready.steps.get(step="village_notice").comment == "公示无异议"
    assert unphotographed.step == "village_notice"
    assert early.step == "household_check"


def test_a_bulk_approval_by_someone_who_does_not_decide_the_village_changes_nothing(world, notices):
    ready, _unphotographed, _early = notices
    township = signed_in(world.places.supervisor_a).post(
        village_url(world, "approve"), {"cases": [ready.pk]}, follow=True
    )
    assert "Not approved: N-READY" in shown(township)
    assert (
        signed_in(world.cadre_b1)
        .post(village_url(world, "approve"), {"cases": [ready.pk]})
        .status_code
        == 404
    )
    assert Case.objects.get(pk=ready.pk).step == "village_notice"
    nothing = signed_in(world.cadre_a1).post(village_url(world, "approve"), {}, follow=True)
    assert "Tick at least one case." in shown(nothing)


def test_the_printed_notice_names_households_and_nothing_personal(world, fixed_clock):
    case = at_notice(world, "N-PRINT", id_number=ID_NUMBER, phone=PHONE, has_serious_illness="yes")
    fill(world, case)
    at_notice(world, "N-PREP")  # its notice is being prepared: no dates yet
    page = signed_in(world.cadre_a1).get(village_url(world, "notice/"))
    assert page.status_code == 200
    text = shown(page)
    assert "Public notice: Village A1" in text
    assert "王五" in text
    assert "Monitoring: marginal household at risk" in text
    assert "Inclusion as a monitoring object" in text
    assert "7 December 2026 to 14 December 2026" in text
    assert "being prepared" in text
    for secret in (ID_NUMBER, PHONE, "N-PRINT", "serious", "illness", str(case.household.uuid)):
        assert secret not in page.text, secret


def test_village_pages_are_for_the_offices_of_the_village(world, mallory):
    assert signed_in(world.cadre_b1).get(village_url(world)).status_code == 404
    assert (
        signed_in(world.places.supervisor_b).get(village_url(world, "notice/")).status_code == 404
    )
    assert signed_in(mallory).get(village_url(world)).status_code == 404
    assert signed_in(world.places.worker_a).get(village_url(world)).status_code == 403
    township = f"/p/demo/cases/villages/{world.places.a.code}/"
    assert signed_in(world.county).get(township).status_code == 404
    assert signed_in(world.county).get("/p/demo/cases/villages/nowhere/").status_code == 404
    assert signed_in(world.county).get(village_url(world)).status_code == 200


@pytest.mark.parametrize(
    ("language", "title", "reason"),
    [
        ("en", "Public notice: Village A1", "Inclusion as a monitoring object"),
        ("zh-hans", "Village A1公示", "纳入监测对象"),
    ],
)
def test_the_notice_pdf_holds_the_names_and_no_id_number(
    world, fixed_clock, language, title, reason
):
    case = at_notice(world, "N-PDF", id_number=ID_NUMBER, phone=PHONE, has_serious_illness="yes")
    fill(world, case)
    response = signed_in(world.cadre_a1, language).get(village_url(world, "notice.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    text = " ".join(pdf_text(response.content).split())  # a cell's words wrap onto lines
    assert title in text
    assert "王五" in text
    assert reason in text
    assert "Township A · Village A1" in text
    for secret in (ID_NUMBER, PHONE, "N-PDF", str(case.household.uuid)):
        assert secret not in text, secret
        assert secret.encode() not in response.content
        assert secret.encode("utf-16-be") not in response.content


def test_the_notice_pdf_of_a_village_without_notices_says_so(world):
    text = pdf_text(signed_in(world.cadre_a1).get(village_url(world, "notice.pdf")).content)
    assert "No household is on the notice." in text
