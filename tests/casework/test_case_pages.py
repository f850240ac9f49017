"""The case pages through the real client: the queue (overdue first, escalated marked), the case
page in both languages, decisions, records, documents and objections through its forms, and the
refusals shown as the page again with why. The clock stands on Monday 7 December 2026."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.audit.models import AccessLog
from backend.casework.models import Case, CaseAttachment, CaseStep, NoticeObjection
from tests.casework.conftest import approve, fill
from tests.casework.pages import case_url, opened, shown, signed_in

pytestmark = pytest.mark.django_db

QUEUE = "/p/demo/cases/"
# Codes that must never reach a reader: steps, kinds, categories, record fields, triggers.
CODES = re.compile(
    r"household_check|village_appraisal|village_notice|township_review|county_approval|"
    r"monitor_marginal|monitor_unstable|return_to_poverty|checked_on|notice_starts_on|"
    r"propose_monitor|\binclusion\b|\bpending\b"
)


def scan(name: str = "scan.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8 a scan", content_type="image/jpeg")


def test_the_queue_puts_the_overdue_first_in_red_and_marks_escalated_ones(world, fixed_clock):
    opened(world, "Q-LATE")
    fixed_clock.shift(timedelta(days=8))  # the 15th: its five working days have passed
    fresh = opened(world, "Q-FRESH")

    page = signed_in(world.cadre_a1).get(QUEUE)
    assert page.status_code == 200
    text = shown(page)
    assert text.index("Q-LATE") < text.index("Q-FRESH")
    rows = re.findall(r'<tr class="(overdue)?">\s*<td><a href="[^"]+">([^<]+)</a>', page.text)
    assert [(css, label.split()[0]) for css, label in rows] == [
        ("overdue", "Q-LATE"),
        ("", "Q-FRESH"),
    ]
    assert "Household check with signed consent" in text
    assert "14 December 2026" in text  # the due date as the English locale writes it

    township = shown(signed_in(world.places.supervisor_a).get(QUEUE))
    assert "Q-LATE" in township
    assert "Q-FRESH" not in township
    assert "escalated from the level below" in township
    assert fresh.level == "village"


def test_the_queue_filters_by_kind_and_village(world):
    opened(world, "Q-K")
    assert "Q-K" not in shown(signed_in(world.county).get(QUEUE))  # not the county's step
    cadre = signed_in(world.cadre_a1)
    assert "Q-K" in shown(cadre.get(QUEUE, {"kind": "inclusion"}))
    assert "Q-K" in shown(cadre.get(QUEUE, {"village": world.places.a1.pk}))
    assert "Q-K" not in shown(cadre.get(QUEUE, {"kind": "elimination"}))
    assert "Q-K" not in shown(cadre.get(QUEUE, {"village": world.places.b1.pk}))
    bad = cadre.get(QUEUE, {"kind": "nonsense"})
    assert bad.status_code == 200
    assert "Q-K" not in shown(bad)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Inclusion as a monitoring object", "Checked on", "Approve", "In progress"]),
        (
            "zh-hans",
            [
                "纳入监测对象",
                "核查日期",
                "不予通过",
                "办理中",
                "入户核查（农户签字同意）",
                "办理过程",
            ],
        ),
    ],
)
def test_the_case_page_shows_the_timeline_in_words_never_keys(world, language, words):
    case = opened(world, "P-1", reason="户主突发重病")
    approve(world, case)
    page = signed_in(world.cadre_a1, language).get(case_url(case))
    assert page.status_code == 200
    text = shown(page)
    for word in words:
        assert word in text, word
    assert not CODES.search(text), CODES.search(text)
    assert "户主突发重病" in text
    assert AccessLog.objects.filter(
        user=world.cadre_a1, object_id=str(case.household.uuid), detail=f"case {case.pk}"
    ).exists()


def test_a_cadre_approves_a_step_through_the_form_with_its_record(world):
    case = opened(world, "D-1")
    client = signed_in(world.cadre_a1)
    added = client.post(case_url(case, "documents"), {"role": "consent", "file": scan()})
    assert added.status_code == 302
    assert "Signed consent of the household" in shown(client.get(case_url(case)))

    decided = client.post(
        case_url(case, "decide"),
        {"decision": "approve", "comment": "核实无误", "record_checked_on": "2026-12-07"},
    )
    assert decided.status_code == 302
    case.refresh_from_db()
    assert case.step == "village_appraisal"
    first = CaseStep.objects.get(case=case, step="household_check")
    assert (first.decision, first.record) == ("approve", {"checked_on": "2026-12-07"})
    assert "Decision recorded." in shown(client.get(case_url(case)))


def test_an_incomplete_step_is_shown_again_with_what_it_lacks(world):
    case = opened(world, "D-2")
    client = signed_in(world.cadre_a1)
    refused = client.post(case_url(case, "decide"), {"decision": "approve"})
    assert refused.status_code == 400
    text = shown(refused)
    assert "The step cannot be approved yet." in text
    assert "Missing document: Signed consent of the household." in text
    case.refresh_from_db()
    assert case.step == "household_check"


def test_approving_before_the_notice_ends_is_refused_with_409(world):
    case = opened(world, "D-3")
    case = approve(world, approve(world, case))
    fill(world, case)
    refused = signed_in(world.cadre_a1).post(case_url(case, "decide"), {"decision": "approve"})
    assert refused.status_code == 409
    assert "cannot be approved before then" in shown(refused)
    assert Case.objects.get(pk=case.pk).step == "village_notice"


def test_the_record_is_saved_without_a_decision_and_bad_values_are_refused(world):
    case = opened(world, "D-4")
    client = signed_in(world.cadre_a1)
    saved = client.post(case_url(case, "record"), {"record_checked_on": "2026-12-03"})
    assert saved.status_code == 302
    assert CaseStep.objects.get(case=case, decision="").record == {"checked_on": "2026-12-03"}
    bad = client.post(case_url(case, "record"), {"record_checked_on": "not a day"})
    assert bad.status_code == 400
    assert CaseStep.objects.get(case=case, decision="").record == {"checked_on": "2026-12-03"}


def test_a_return_reaches_the_level_below_with_its_reason(world):
    case = opened(world, "R-1")
    case = approve(world, case)  # now at the village appraisal
    client = signed_in(world.cadre_a1)
    assert client.post(case_url(case, "decide"), {"decision": "return"}).status_code == 400
    returned = client.post(
        case_url(case, "decide"), {"decision": "return", "comment": "同意书缺少户主签字"}
    )
    assert returned.status_code == 302
    case.refresh_from_db()
    assert case.step == "household_check"
    text = shown(client.get(case_url(case)))
    assert "Returned by the level above because" in text
    assert "同意书缺少户主签字" in text


def test_a_rejection_closes_the_case_and_the_form_goes(world):
    case = opened(world, "J-1")
    client = signed_in(world.cadre_a1)
    rejected = client.post(case_url(case, "decide"), {"decision": "reject", "comment": "不符合"})
    assert rejected.status_code == 302
    case.refresh_from_db()
    assert case.state == "rejected"
    page = client.get(case_url(case))
    assert 'id="decide"' not in page.text
    again = client.post(case_url(case, "decide"), {"decision": "approve"})
    assert again.status_code == 409
    assert "The case is closed." in shown(again)


def test_someone_who_sees_the_case_but_does_not_decide_its_step_gets_403(world):
    case = opened(world, "F-1")
    county = signed_in(world.county)
    page = county.get(case_url(case))
    assert page.status_code == 200
    assert 'id="decide"' not in page.text
    before = CaseStep.objects.filter(case=case).count()
    assert (
        county.post(case_url(case, "decide"), {"decision": "reject", "comment": "x"}).status_code
        == 403
    )
    assert (
        county.post(case_url(case, "documents"), {"role": "other", "file": scan()}).status_code
        == 403
    )
    assert CaseStep.objects.filter(case=case).count() == before
    assert not CaseAttachment.objects.filter(case=case).exists()


def test_objections_are_recorded_and_resolved_on_the_page(world):
    case = opened(world, "O-1")
    case = approve(world, approve(world, case))
    fill(world, case)  # the notice is up from today
    client = signed_in(world.places.supervisor_a)  # the township handles them too
    recorded = client.post(
        case_url(case, "objections"),
        {"received_on": "2026-12-07", "raised_by": "村民张某", "text": "有经营性收入"},
    )
    assert recorded.status_code == 302
    objection = NoticeObjection.objects.get(case=case)
    assert "有经营性收入" in shown(client.get(case_url(case)))

    assert client.post(case_url(case, f"objections/{objection.pk}/resolve"), {}).status_code == 400
    resolved = client.post(
        case_url(case, f"objections/{objection.pk}/resolve"),
        {"outcome": "dismissed", "note": "经核实为务工收入"},
    )
    assert resolved.status_code == 302
    objection.refresh_from_db()
    assert (objection.outcome, objection.outcome_note) == ("dismissed", "经核实为务工收入")
    assert "Dismissed" in shown(client.get(case_url(case)))
    future = client.post(
        case_url(case, "objections"), {"received_on": "2027-01-01", "text": "迟到"}
    )
    assert future.status_code == 400
    assert "cannot be received in the future" in shown(future)


def test_a_document_is_listed_with_its_kind_and_downloaded_with_a_log(world):
    case = opened(world, "U-1")
    client = signed_in(world.cadre_a1, "zh-hans")
    client.post(case_url(case, "documents"), {"role": "consent", "file": scan("同意书.jpg")})
    document = CaseAttachment.objects.get(case=case)
    text = shown(client.get(case_url(case)))
    assert "同意书.jpg" in text
    assert "农户签字的申请或同意书" in text
    download = client.get(case_url(case, f"documents/{document.pk}"))
    assert download.status_code == 200
    assert AccessLog.objects.filter(kind="view_case_doc", object_id=str(document.pk)).exists()
    assert client.get(case_url(case, "documents/999999")).status_code == 404


def test_cases_of_other_areas_are_not_found_and_field_workers_are_refused(world, mallory):
    case = opened(world, "S-1")
    assert signed_in(world.cadre_b1).get(case_url(case)).status_code == 404
    assert signed_in(world.places.supervisor_b).get(case_url(case)).status_code == 404
    assert signed_in(mallory).get(case_url(case)).status_code == 404
    assert signed_in(world.places.worker_a).get(case_url(case)).status_code == 403
    assert signed_in(world.places.worker_a).get(QUEUE).status_code == 403
    assert "S-1" not in shown(signed_in(world.places.supervisor_b).get(QUEUE))
    refused = signed_in(world.cadre_b1).post(
        case_url(case, "decide"), {"decision": "reject", "comment": "x"}
    )
    assert refused.status_code == 404
    assert Case.objects.get(pk=case.pk).state == "open"
