"""A project with something on every page, for the browser test that opens them all: two
townships with a household each, an inspection with photos and evidence flags, a home visit
with about sixty answers and its photos, a case, a renovation, a campaign under way, a
department's file, an entity list, an export and the access log's entries. Built through the
services and the phone's path."""

import io
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.campaigns.models import Campaign, NodeKind
from backend.campaigns.services import Plan, campaign_plan, campaign_start
from backend.casework.models import Case, Kind, TriggerSource
from backend.casework.renovation import renovation_open
from backend.casework.services import Trigger, case_open
from backend.crosscheck.models import DepartmentImport, DepartmentTemplate
from backend.entities.models import Dataset
from backend.exports.models import Export, ExportState
from backend.households.models import Category, Household
from backend.pipeline.departments import department_file_import
from backend.submissions.models import Submission
from forms.library import LIBRARY_DIR
from forms.models import FormVersion
from forms.services import Upload, form_publish
from tests.households.instances import filled_instance
from tests.review.conftest import (  # noqa: F401  fixtures
    areas,
    flagged,
    homes,
    inspect,
    inspection,
)
from tests.sync.conftest import bob_token, collect  # noqa: F401  fixtures
from tests.sync.submissions import jpeg, multipart

# A home visit as a helper fills it in: every section answered, two photos and a signature.
VISIT_ANSWERS = {
    "/data/start": "2026-11-23T09:05:00.000+08:00",
    "/data/end": "2026-11-23T09:52:00.000+08:00",
    "/data/today": "2026-11-23",
    "/data/village": "demo-v01",
    "/data/prev_size": "4",
    "/data/prev_income_pc": "5200",
    "/data/met": "yes",
    "/data/house_photo": "house.jpg",
    "/data/visit_gps": "26.5072 106.7096 1000 5",
    "/data/household_size/hh_size": "5",
    "/data/household_size/labour_count": "2",
    "/data/household_size/size_change": "长子外出务工后回乡，家庭人口由4人增至5人",
    "/data/priority/has_disabled": "no",
    "/data/priority/has_elderly": "yes",
    "/data/priority/dibao": "yes",
    "/data/priority/extreme_poor": "no",
    "/data/priority/relocated": "no",
    "/data/food_clothing/food_ok": "yes",
    "/data/food_clothing/clothing_ok": "yes",
    "/data/food_clothing/food_clothing_status": "ok",
    "/data/education/n_school_age": "0",
    "/data/education/edu_status": "ok",
    "/data/medical/all_insured": "yes",
    "/data/medical/serious_ins": "yes",
    "/data/medical/has_serious_illness": "yes",
    "/data/medical/has_chronic_illness": "yes",
    "/data/medical/ill_treated": "yes",
    "/data/medical/family_doctor": "yes",
    "/data/pension/all_pension": "yes",
    "/data/housing/house_grade": "C",
    "/data/housing/house_defects": "yes",
    "/data/housing/defect_photo": "crack.jpg",
    "/data/housing/sanitary_toilet": "yes",
    "/data/water/water_qty": "yes",
    "/data/water/water_qual": "yes",
    "/data/water/water_rel": "yes",
    "/data/income/income_year": "2026",
    "/data/income/inc_wage": "18000",
    "/data/income/inc_business": "3500",
    "/data/income/inc_property": "0",
    "/data/income/inc_transfer": "2640",
    "/data/income/exp_production": "2600",
    "/data/income/spend_medical": "6800",
    "/data/income/spend_education": "0",
    "/data/income/income_pc": "4308",
    "/data/income/income_change": "户主患病住院，务工收入减少约三成",
    "/data/conclusion/outcome": "follow_up",
    "/data/conclusion/problems": "户主需长期服药，建议落实慢病签约服务并跟踪医疗费用报销进度",
    "/data/conclusion/hh_sig": "signature.png",
    "/data/conclusion/last_visit": "2026-11-23",
    "/data/conclusion/last_outcome": "follow_up",
    "/data/notes": "下次走访时核实医保报销到账情况",
}


@dataclass(frozen=True)
class Site:
    """What the pages show: one of each record a page is about."""

    visit: Submission
    inspection: Submission
    household: Household
    inspection_form: FormVersion
    case: Case
    renovation: Case
    campaign: Campaign
    department_import: DepartmentImport


def _visit(project, alice, household: Household, collect) -> Submission:  # noqa: F811
    path = LIBRARY_DIR / "hh_visit.md"
    form = form_publish(
        project=project, source=Upload(path.name, path.read_bytes()), published_by=alice
    ).version
    household.refresh_from_db()
    entity = {
        "dataset": "households",
        "id": str(household.uuid),
        "update": "1",
        "baseVersion": str(household.version),
    }
    xml = filled_instance(form, {**VISIT_ANSWERS, "/data/hh": str(household.uuid)}, entity=entity)
    files = (
        ("house.jpg", jpeg((150, 120, 90), size=(640, 480))),
        ("crack.jpg", jpeg((90, 90, 90), size=(640, 480))),
        ("signature.png", jpeg((250, 250, 250), size=(320, 120))),
    )
    response = collect("post", "submission", data=multipart(xml, *files))
    assert response.status_code == 201, response.content
    return Submission.objects.get(form_version=form)


def _campaign(project, alice, village) -> Campaign:
    today = timezone.localdate()
    nodes = {
        NodeKind.TRAINING: (None, today - timedelta(days=3)),
        NodeKind.VISITS: (today - timedelta(days=2), today + timedelta(days=20)),
        NodeKind.COMPILATION: (today + timedelta(days=20), today + timedelta(days=30)),
        NodeKind.DEPARTMENT_CHECKS: (today + timedelta(days=30), today + timedelta(days=36)),
        NodeKind.SIGN_OFF: (None, today + timedelta(days=40)),
    }
    planned = campaign_plan(
        project=project,
        actor=alice,
        plan=Plan(name="2026年脱贫质量回头看", nodes=nodes, villages=(village,)),
    )
    campaign_start(campaign=planned, actor=alice)
    planned.refresh_from_db()
    return planned


def _department_import(project, alice) -> DepartmentImport:
    template = DepartmentTemplate.objects.create(
        project=project,
        department="civil_affairs",
        name="民政低保名单",
        id_column="身份证号",
        columns={"dibao": "是否低保"},
    )
    rows = "身份证号,是否低保\n520101198001010110,是\n5201011980010101X,否\n"
    return department_file_import(
        project=project,
        template=template,
        stream=io.BytesIO(rows.encode("utf-8-sig")),
        file_name="民政低保名单2026年11月.csv",
        data_date=date(2026, 11, 30),
        actor=alice,
    )


@pytest.fixture
def site(
    project,
    alice,
    sam,
    bob,
    homes,  # noqa: F811
    flagged,  # noqa: F811
    inspection,  # noqa: F811
    collect,  # noqa: F811
    fixed_clock,
    django_capture_on_commit_callbacks,
) -> Site:
    east = homes["east"]
    visit = _visit(project, alice, east, collect)
    case = case_open(
        household=homes["west"],
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        reason="家庭成员突发重病，医疗支出大，人均纯收入低于监测标准",
        trigger=Trigger(TriggerSource.PERSON, actor=sam),
    )
    renovation, _opened = renovation_open(
        household=east, actor=sam, reason="墙体严重开裂，鉴定为D级危房"
    )
    campaign = _campaign(project, alice, east.village)
    # An entity list as a form that writes one registers it (its page lists no entity yet).
    Dataset.objects.create(project=project, name="trees")
    with django_capture_on_commit_callbacks(execute=True):
        department_import = _department_import(project, alice)
    Export.objects.create(
        project=project,
        kind="households_csv",
        requested_by=alice,
        state=ExportState.DONE,
        progress=100,
        filename="households-2026-12-07.csv",
        size=48_213,
    )
    Export.objects.create(
        project=project,
        kind="cases_xlsx",
        requested_by=alice,
        state=ExportState.FAILED,
        error="The export failed (OSError).",
    )
    access_log_record(
        user=sam,
        project_id=project.pk,
        kind=AccessKind.VIEW_SUBMISSION,
        object_type="submission",
        object_ids=[visit.pk],
        ip="192.168.10.20",
    )
    east.refresh_from_db()
    return Site(
        visit=visit,
        inspection=flagged["risky"],
        household=east,
        inspection_form=inspection,
        case=case,
        renovation=renovation,
        campaign=campaign,
        department_import=department_import,
    )
