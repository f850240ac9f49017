"""Scripted paths through the library forms: what an aid worker answers, question by question.

Answers are keyed by instance path (`[n]` from 1 on repeat entries) and written as the phone
stores them: choice codes, `YYYY-MM-DD` dates, `lat lon alt acc` points, photo file names.
"""

import csv
import io
from datetime import timedelta

from tests.conftest import FIXED_NOW

VILLAGE = "demo-v01"  # the village of tests/sync/conftest.py
HOUSEHOLD = "5b0a1c1e-6f0e-4c53-9d1a-2f4c1b7e9a01"  # the sample households.csv's household

# The phone's clock: the form's today, start and end (the engine would read the real one).
CLOCK = {
    "/data/today": FIXED_NOW.date().isoformat(),
    "/data/start": FIXED_NOW.isoformat(timespec="milliseconds"),
    "/data/end": (FIXED_NOW + timedelta(minutes=25)).isoformat(timespec="milliseconds"),
}
POINT = "26.5071 106.7095 1021 4.5"


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    """A CSV attachment with the union of the rows' columns, in first-seen order."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def sample_media(**household: str) -> dict[str, bytes]:
    """households.csv with one household of four (as the server serves it), and villages.csv."""
    row = {
        "name": HOUSEHOLD,
        "label": "DP-001 王*山",
        "__version": "3",
        "village": VILLAGE,
        "review_note": "",
        "hh_code": "DP-001",
        "head_name": "王大山",
        "hh_size": "4",
        "labour_count": "2",
        "income_pc": "9000",
        "income_year": "2025",
        "house_grade": "B",
        "last_visit": "2026-06-01",
        "n_school_age": "0",
        **dict.fromkeys(("has_serious_illness", "has_chronic_illness", "has_disabled"), "no"),
        **dict.fromkeys(("has_elderly", "dibao", "extreme_poor", "relocated"), "no"),
        "reno_status": "",
        "reno_method": "",
        **household,
    }
    villages = [{"name": VILLAGE, "label": "东坡村（示例镇）", "township": "demo-t01"}]
    return {"households.csv": csv_bytes([row]), "villages.csv": csv_bytes(villages)}


def member(n: int, name: str, relation: str, sex: str, birth: str, **more: str) -> dict[str, str]:
    """The answers for the n-th member of the registration's repeat (healthy, insured)."""
    answers = {
        "m_name": name,
        "m_rel": relation,
        "m_sex": sex,
        "m_birth": birth,
        "m_health": "healthy",
        "m_disabled": "no",
        "m_med_ins": "yes",
        **more,
    }
    return {f"/data/members[{n}]/{key}": value for key, value in answers.items()}


ADULT = {"m_labour": "ordinary", "m_pension": "yes"}


FAMILY = {
    **member(1, "王大山", "head", "male", "1970-03-15", **ADULT),
    **member(2, "李秀英", "spouse", "female", "1972-06-01", **ADULT),
    **member(3, "王小红", "child", "female", "2012-05-10", m_school="junior"),
    **member(4, "王小明", "child", "male", "2016-09-01", m_school="primary"),
}
OLD_COUPLE = {
    **member(1, "王大山", "head", "male", "1950-03-15", **ADULT),
    **member(2, "李秀英", "spouse", "female", "1952-06-01", **ADULT),
}


def registration(
    hh_code: str = "DP-100", members: dict[str, str] = FAMILY, **changes: str
) -> dict[str, str]:
    """A household (by default FAMILY: two parents and two children at school) with a
    per-capita income of 36,000 / members (9,000 for four)."""
    return {
        "/data/consent/consent_given": "yes",
        "/data/consent/consent_sig": "consent.png",
        "/data/address/village": VILLAGE,
        "/data/household/hh_code": hh_code,
        "/data/household/head_name": "王大山",
        "/data/household/category": "monitor_marginal",
        "/data/household/risk_types": "illness",
        "/data/household/dibao": "no",
        "/data/household/extreme_poor": "no",
        "/data/household/relocated": "no",
        **members,
        **income(wage="32000", business="6000", transfer="2000", costs="4000"),
        "/data/food_clothing/food_ok": "yes",
        "/data/food_clothing/clothing_ok": "yes",
        "/data/medical/serious_ins": "yes",
        "/data/housing/house_struct": "brick_concrete",
        "/data/housing/house_grade": "B",
        "/data/housing/house_defects": "no",
        "/data/housing/sanitary_toilet": "yes",
        "/data/housing/house_photo": "house.jpg",
        "/data/housing/location": POINT,
        **water("/data/water"),
        **changes,
    }


def income(*, wage: str, business: str, transfer: str, costs: str) -> dict[str, str]:
    return {
        "/data/income/income_year": "2026",
        "/data/income/inc_wage": wage,
        "/data/income/inc_business": business,
        "/data/income/inc_property": "0",
        "/data/income/inc_transfer": transfer,
        "/data/income/exp_production": costs,
        "/data/income/spend_medical": "0",
        "/data/income/spend_education": "0",
    }


def water(group: str) -> dict[str, str]:
    answers = {"water_src": "tap", "water_qty": "yes", "water_qual": "yes", "water_rel": "yes"}
    answers["water_access"] = "piped_in"
    return {f"{group}/{key}": value for key, value in answers.items()}


def visit(hh: str = HOUSEHOLD, **changes: str) -> dict[str, str]:
    """A visit that meets a household of four, nothing wrong, income unchanged at 9,000."""
    return {
        "/data/village": VILLAGE,
        "/data/hh": hh,
        "/data/met": "yes",
        "/data/house_photo": "house.jpg",
        "/data/visit_gps": POINT,
        "/data/food_clothing/food_ok": "yes",
        "/data/food_clothing/clothing_ok": "yes",
        "/data/medical/all_insured": "yes",
        "/data/medical/serious_ins": "yes",
        "/data/pension/all_pension": "yes",
        "/data/housing/house_defects": "no",
        "/data/housing/sanitary_toilet": "yes",
        **water("/data/water"),
        **income(wage="32000", business="6000", transfer="2000", costs="4000"),
        "/data/conclusion/risks": "none",
        "/data/conclusion/proposals": "none",
        "/data/conclusion/outcome": "no_change",
        "/data/conclusion/hh_sig": "signature.png",
        **changes,
    }


def child(n: int, name: str, age: int, school: str, **more: str) -> dict[str, str]:
    """The n-th entry of the visit's children repeat."""
    answers = {"child_name": name, "child_age": str(age), "child_school": school, **more}
    return {f"/data/education/children[{n}]/{key}": value for key, value in answers.items()}


# FAMILY's children, seen again on a visit.
AT_SCHOOL = {
    **child(1, "王小红", 14, "in_school", child_stage="junior"),
    **child(2, "王小明", 10, "in_school", child_stage="primary"),
}


def inspection(hh: str = HOUSEHOLD, stage: str = "before", **changes: str) -> dict[str, str]:
    """An inspection of a grade-D house rebuilt for four people on 60 m² (within 52-72 m²)."""
    stages = {"before": _before(), "during": _during(), "after": _after()}
    return {
        "/data/village": VILLAGE,
        "/data/hh": hh,
        "/data/stage": stage,
        "/data/plan/grade_before": "D",
        "/data/plan/reno_method": "rebuild",
        "/data/plan/build_mode": "self",
        "/data/plan/hh_size": "4",
        **({} if stage == "during" else {"/data/plan/area_m2": "60"}),
        **stages[stage],
        "/data/inspector_info/inspector": "张检查",
        "/data/inspector_info/inspector_sig": "inspector.png",
        **changes,
    }


def _before() -> dict[str, str]:
    answers = {
        "/data/plan/appraisal_date": "2026-11-02",
        "/data/plan/appraisal_org": "县住建局",
        "/data/before/photo_before": "before.jpg",
        "/data/before/photo_before_gps": POINT,
    }
    for n, part in ((1, "墙体开裂"), (2, "屋面漏雨")):
        answers[f"/data/before/danger[{n}]/photo_danger"] = f"danger{n}.jpg"
        answers[f"/data/before/danger[{n}]/photo_danger_gps"] = POINT
        answers[f"/data/before/danger[{n}]/danger_desc"] = part
    return answers


def _during() -> dict[str, str]:
    return {
        "/data/during/progress": "structure",
        "/data/during/photo_during": "during.jpg",
        "/data/during/photo_during_gps": POINT,
    }


def _after() -> dict[str, str]:
    return {
        "/data/after/photo_after": "after.jpg",
        "/data/after/photo_after_gps": POINT,
        "/data/after/has_kitchen": "yes",
        "/data/after/photo_kitchen": "kitchen.jpg",
        "/data/after/photo_kitchen_gps": POINT,
        "/data/after/has_toilet": "yes",
        "/data/after/photo_toilet": "toilet.jpg",
        "/data/after/photo_toilet_gps": POINT,
        "/data/after/chk_structure": "yes",
        "/data/after/chk_envelope": "yes",
        "/data/after/result": "pass",
        "/data/after/grade_after": "A",
        "/data/after/hh_sig": "signature.png",
    }


def village_review(**changes: str) -> dict[str, str]:
    """A village look-back review that finds the clinic without a doctor and nothing else."""
    answers = {"/data/village": VILLAGE, "/data/reviewer": "王干部"}
    for code in ("road", "power", "water", "school", "network", "venue", "collective"):
        answers[f"/data/{code}_problem"] = "no"
    for code in ("environment", "assets"):
        answers[f"/data/{code}_problem"] = "no"
    answers |= {
        "/data/clinic_problem": "yes",
        "/data/clinic_note": "村医退休，无人接替",
        "/data/clinic_photo": "clinic.jpg",
        "/data/responsible_person": "李主任",
    }
    return {**answers, **changes}
