"""Every flag code, its severity and what it means, in the user's language (docs/households.md
lists the rules, docs/evidence.md the evidence checks)."""

from decimal import Decimal
from string import Formatter
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.audit.privacy import masked
from backend.core.display import day, joined, moment
from backend.flags.models import Flag, Severity

FLAGS: dict[str, tuple[str, Promise]] = {
    "income_below_line": (Severity.SERIOUS, _("Per-capita income below the monitoring line")),
    "house_unsafe": (Severity.SERIOUS, _("House graded C or D, or leaking or cracked")),
    "sudden_hardship": (
        Severity.SERIOUS,
        _("Sudden hardship: income after medical and school costs below the line, or heavy costs"),
    ),
    "returned_to_poverty": (
        Severity.SERIOUS,
        _("A household lifted out of poverty is below the line again"),
    ),
    "not_monitored": (
        Severity.SERIOUS,
        _("Serious problems on a household that is not a monitoring object"),
    ),
    "dibao_not_covered": (
        Severity.SERIOUS,
        _("Eligible for the minimum living allowance but not covered"),
    ),
    "income_jump": (
        Severity.WARNING,
        _("Income rose to just above the line, or sharply, with no reason given"),
    ),
    "reno_stage_skipped": (
        Severity.SERIOUS,
        _("Renovation accepted without an appraisal or a construction record before it"),
    ),
    "reno_self_accepted": (
        Severity.SERIOUS,
        _("Renovation accepted by the household's own helper"),
    ),
    "reno_acceptance_refused": (
        Severity.SERIOUS,
        _("A renovation acceptance was not applied"),
    ),
    "reno_case_out_of_order": (
        Severity.SERIOUS,
        _("A renovation inspection came before the stages it needs"),
    ),
    "support_proposed": (Severity.WARNING, _("The visit proposes support for the household")),
    "priority_no_appraisal": (
        Severity.WARNING,
        _("Priority-group household without a housing safety appraisal"),
    ),
    "reno_area": (
        Severity.WARNING,
        _("Renovation floor area outside the standard for the household's size"),
    ),
    "school_dropout": (Severity.SERIOUS, _("A school-age child is out of school")),
    "medical_care": (Severity.WARNING, _("Basic medical care not guaranteed")),
    "drinking_water": (Severity.WARNING, _("Drinking water not safe")),
    "food_clothing": (Severity.SERIOUS, _("Worry about food or clothing")),
    "dept_verify": (
        Severity.SERIOUS,
        _("Department records to verify: a vehicle, a business, property, tax or a public job"),
    ),
    "dept_uninsured": (
        Severity.WARNING,
        _("The health-insurance office lists members without basic medical insurance"),
    ),
    "dept_not_enrolled": (
        Severity.SERIOUS,
        _("The education office lists school-age members not enrolled"),
    ),
    "dept_high_costs": (
        Severity.SERIOUS,
        _("The health-insurance office lists high out-of-pocket medical costs"),
    ),
    "dept_new_support": (
        Severity.WARNING,
        _("Department records show support the registry does not record"),
    ),
    "visit_overdue": (Severity.WARNING, _("No visit within the project's cadence")),
    "value_out_of_range": (
        Severity.WARNING,
        _("A number is too large or not a number, and was not used"),
    ),
    "merge_refused": (
        Severity.WARNING,
        _("The household list could not take this submission"),
    ),
    "entity_out_of_scope": (
        Severity.SERIOUS,
        _("Someone outside the household's area sent an update of it"),
    ),
    # Entity lists other than the households (backend/entities).
    "entity_refused": (Severity.WARNING, _("An entity list could not take this submission")),
    "entity_conflict": (
        Severity.WARNING,
        _("The submission updated an entity from an older version"),
    ),
    # Evidence checks (backend/evidence, docs/evidence.md): about one visit or one photo.
    "gps_missing": (Severity.WARNING, _("The visit has no GPS point")),
    "gps_low_accuracy": (Severity.WARNING, _("The visit's GPS point is not accurate enough")),
    "gps_outside_village": (Severity.SERIOUS, _("The visit point is outside the village")),
    "gps_far_from_household": (Severity.SERIOUS, _("The visit point is far from the household")),
    "photo_gps_far": (Severity.SERIOUS, _("A photo was taken far from the visit point")),
    "photo_no_exif": (Severity.INFO, _("A photo carries no camera time or position")),
    "photo_time_outside_visit": (Severity.WARNING, _("A photo was taken outside the visit")),
    "photo_duplicate": (Severity.SERIOUS, _("A photo repeats an earlier photo")),
    "before_after_same": (Severity.SERIOUS, _("Before and after photos are the same picture")),
    "photo_not_image": (Severity.WARNING, _("A photo file is not a usable image")),
    "visit_too_short": (Severity.WARNING, _("The visit was too short")),
    "impossible_travel": (Severity.SERIOUS, _("Two visits too far apart for the time between")),
    "device_time_skew": (Severity.WARNING, _("The phone's clock looks wrong")),
}

# What the reviewer reads: the label's facts with the evidence numbers filled in.
DETAILS: dict[str, Promise] = {
    "income_below_line": _(
        "Per-capita income of %(income_per_capita)s yuan in %(income_year)s is below that year's "
        "line of %(line)s yuan."
    ),
    "house_unsafe": _(
        "House grade %(house_grade)s (C and D are unsafe); leaks or cracks: %(housing_status)s."
    ),
    "sudden_hardship": _(
        "Per-capita income %(income_per_capita)s yuan for %(hh_size)s members; medical costs "
        "%(spend_medical)s and school costs %(spend_education)s yuan a year (heavy above "
        "%(rigid_spending_limit)s yuan); the line is %(line)s yuan."
    ),
    "returned_to_poverty": _(
        "Lifted out of poverty, yet per-capita income of %(income_per_capita)s yuan in "
        "%(income_year)s is below that year's line of %(line)s yuan."
    ),
    "not_monitored": _(
        "%(serious_findings)s serious problems found, and the household is not a monitoring "
        "object (category: %(category)s)."
    ),
    "dibao_not_covered": _(
        "No member able to work, per-capita income %(income_per_capita)s yuan below the line of "
        "%(line)s yuan, and not on the minimum living allowance."
    ),
    "income_jump": _(
        "Per-capita income went from %(income_before)s to %(income_per_capita)s yuan (line "
        "%(line)s yuan) and the visit gives no reason."
    ),
    "school_dropout": _("Children out of school: %(dropout_names)s."),
    "dept_verify": _(
        "Department records: vehicle worth %(dept_vehicle_value)s yuan (limit "
        "%(vehicle_value_limit)s), business role %(dept_company_role)s, commercial property "
        "%(dept_commercial_property)s, income tax %(dept_income_tax)s yuan, public-sector jobs "
        "%(dept_public_job)s. Verify before the household is included; clear the flag with what "
        "was found."
    ),
    "dept_uninsured": _(
        "%(dept_insured)s member(s) without basic medical insurance in the health-insurance "
        "office's latest records."
    ),
    "dept_not_enrolled": _(
        "%(dept_enrolled)s member(s) not enrolled at school in the education office's latest "
        "records."
    ),
    "dept_high_costs": _(
        "Out-of-pocket medical costs of %(dept_out_of_pocket)s yuan in the health-insurance "
        "office's latest records, above %(rigid_spending_limit)s yuan."
    ),
    "dept_new_support": _(
        "Department records: minimum living allowance for %(dept_dibao)s member(s), disability "
        "certificates for %(dept_certified)s, extreme-poverty support for "
        "%(dept_extreme_poor)s; the registry says allowance %(dibao)s, disabled member "
        "%(has_disabled)s, extremely poor %(extreme_poor)s."
    ),
    "merge_refused": _("%(reason)s The submission is kept; correct the form or the registry."),
    "entity_refused": _(
        "List %(list)s: %(reason)s The submission is kept; correct the form or the list."
    ),
    "entity_conflict": _(
        "List %(list)s, %(label)s: updated from version %(base)s while the list had version "
        "%(current)s. Properties changed differently on both sides: %(properties)s. Check the "
        "entity's versions, then mark the conflict resolved."
    ),
    "support_proposed": _("Proposed: %(proposals)s."),
    "reno_stage_skipped": _(
        "Accepted with appraisal before: %(reno_appraised_before)s; construction recorded "
        "before: %(reno_built_before)s. Inspect the house again."
    ),
    "reno_self_accepted": _(
        "The acceptance was sent by the household's own helper; another inspector must accept it."
    ),
    "reno_acceptance_refused": _(
        "The inspection accepted the renovation, but %(reasons)s. The household keeps its "
        "renovation status (%(reno_status)s) and grade (%(house_grade)s) instead of the grade "
        "%(grade_sent)s the inspection gave, until an inspector other than its helper accepts "
        "it after the appraisal and the construction are recorded."
    ),
    "reno_case_out_of_order": _(
        "The inspection recorded the stage %(stage)s while the renovation waits at "
        "%(waiting)s: the visit is kept, the stage is not recorded on the renovation."
    ),
    "priority_no_appraisal": _(
        "A priority-group household (category %(category)s) has no housing safety grade."
    ),
    "value_out_of_range": _(
        "%(values)s: the registry cannot use this (too large, or not a number); the answer is "
        "kept as sent and the household's figure was left as it was."
    ),
    "entity_out_of_scope": _(
        "%(sender)s, who does not work in this household's area, sent an update of it; the "
        "update was not applied."
    ),
    "gps_missing": _("The form asks for a location (%(field)s) but none was recorded."),
    "gps_low_accuracy": _("Accuracy %(accuracy_m)s m, worse than the limit of %(limit_m)s m."),
    "gps_outside_village": _(
        "%(distance_m)s m outside the boundary of %(village)s (tolerance %(limit_m)s m)."
    ),
    "gps_far_from_household": _(
        "%(distance_m)s m from the household's recorded location (limit %(limit_m)s m)."
    ),
    "reno_area": _(
        "%(area_m2)s m² for %(persons)s persons; the standard is %(min_m2)s to %(max_m2)s m²."
    ),
    "photo_gps_far": _(
        "Photo %(photo)s was taken %(distance_m)s m from the visit point (limit %(limit_m)s m)."
    ),
    "photo_no_exif": _("Photo %(photo)s has no %(missing)s in its EXIF data."),
    "photo_time_outside_visit": _(
        "Photo %(photo)s was taken at %(taken_at)s, outside the visit %(window_start)s to "
        "%(window_end)s."
    ),
    "photo_duplicate": _(
        "Photo %(photo)s matches %(other_photo)s of submission %(other_submission)s "
        "(household %(other_household)s; %(match)s, distance %(distance)s)."
    ),
    "before_after_same": _(
        "After photo %(photo)s matches before photo %(other_photo)s (distance %(distance)s, "
        "limit %(limit)s)."
    ),
    "photo_not_image": _("File %(photo)s: %(problem)s."),
    "visit_too_short": _(
        "The form was open %(duration_s)s seconds (shortest plausible: %(limit_minutes)s min)."
    ),
    "impossible_travel": _(
        "%(distance_km)s km from submission %(other_submission)s in %(minutes)s min: "
        "%(speed_kmh)s km/h (limit %(limit_kmh)s km/h)."
    ),
    "device_time_skew": _("%(reason)s: ended %(ended_at)s, received %(received_at)s."),
    "visit_overdue": _(
        "Last visited on %(last_visit)s; the project asks for a visit every %(cadence_days)s days."
    ),
}


# The same facts when the evidence names a record the reader may not see: no code, instanceID,
# file name or link of it (backend/flags/selectors.py decides).
DETAILS_WITHOUT_OTHER: dict[str, Promise] = {
    "photo_duplicate": _(
        "Photo %(photo)s matches a photo sent for another household that you cannot see "
        "(%(match)s, distance %(distance)s)."
    ),
    "photo_duplicate/same_household": _(
        "Photo %(photo)s matches a photo of an earlier submission for this household that you "
        "cannot see (%(match)s, distance %(distance)s)."
    ),
    "before_after_same": _(
        "After photo %(photo)s matches a before photo of a submission that you cannot see "
        "(distance %(distance)s, limit %(limit)s)."
    ),
    "impossible_travel": _(
        "%(distance_km)s km from a submission that you cannot see, in %(minutes)s min: "
        "%(speed_kmh)s km/h (limit %(limit_kmh)s km/h)."
    ),
}
_GENERIC_WITHOUT_OTHER = _("The evidence points at a record that you cannot see.")


# Evidence keys that name another record; shown only to readers who may see that record.
OTHER_RECORD_KEYS = ("other_submission", "other_submission_id", "other_household", "other_photo")


class ProjectRules(Protocol):
    """What the catalogue reads of the rules a project wrote itself (backend/monitoring
    registers it in MonitoringConfig.ready; flags know nothing of rules)."""

    def words(self, project_id: int, code: str) -> tuple[str, str]:
        """(label, sentence) in the active language; "" where the project wrote none."""
        ...

    def own_codes(self, project_id: int) -> list[str]:
        """The codes of the rules the project added."""
        ...


class _NoRules:
    def words(self, project_id: int, code: str) -> tuple[str, str]:
        return "", ""

    def own_codes(self, project_id: int) -> list[str]:
        return []


_project_rules: list[ProjectRules] = [_NoRules()]


def read_project_rules(reader: ProjectRules) -> None:
    _project_rules[0] = reader


def flag_codes(project_id: int) -> list[str]:
    """Every code a flag of the project can have: the catalogue's, then the project's own."""
    return [*FLAGS, *_project_rules[0].own_codes(project_id)]


def flag_label(code: str, project_id: int | None = None) -> str:
    """The flag's meaning in the active language: the project's words for its rule, or the
    catalogue's (the code itself when neither knows it)."""
    if project_id is not None:
        label, _sentence = _project_rules[0].words(project_id, code)
        if label:
            return label
    entry = FLAGS.get(code)
    return str(entry[1]) if entry else code


def flag_details(
    code: str,
    evidence: dict[str, object],
    *,
    other_visible: bool = True,
    project_id: int | None = None,
) -> str:
    """The flag's evidence as one sentence in the active language ("" when there is none).

    With `other_visible` False the sentence names no other record (see DETAILS_WITHOUT_OTHER).
    """
    hidden = not other_visible and names_other_record(evidence)
    if not hidden and project_id is not None:
        _label, sentence = _project_rules[0].words(project_id, code)
        if sentence:
            return _filled(sentence, evidence)
    template = _without_other(code, evidence) if hidden else DETAILS.get(code)
    if template is None:
        return ""
    try:
        return str(template) % {key: _shown_as(key, value) for key, value in evidence.items()}
    except (KeyError, TypeError, ValueError):
        return ""  # evidence from an older version of the check: the label still says enough


def names_other_record(evidence: dict[str, object]) -> bool:
    return any(evidence.get(key) not in (None, "") for key in OTHER_RECORD_KEYS)


def reader_sees_other(flag: Flag) -> bool:
    """Whether the reader may see the records the flag's evidence names: the `other_visible`
    annotation of backend/flags/selectors.py; a flag read without it shows none."""
    return bool(getattr(flag, "other_visible", False)) or not names_other_record(flag.evidence)


def flag_details_for_reader(flag: Flag) -> str:
    """flag_details as the reader of an annotated flag may read it."""
    return flag_details(
        flag.code,
        flag.evidence,
        other_visible=reader_sees_other(flag),
        project_id=flag.project_id,
    )


def _filled(sentence: str, evidence: dict[str, object]) -> str:
    """A project's sentence ({name} style) with the evidence's values in place; a name the
    evidence lacks shows a dash. Names are looked up, never evaluated (no attributes, no
    indexes)."""
    parts: list[str] = []
    try:
        for text, name, spec, _conversion in Formatter().parse(sentence):
            parts.append(text)
            if name is not None:
                parts.append(_filled_in(name, spec, evidence))
    except ValueError:
        return ""  # braces the form would have refused: the label says enough
    return "".join(parts)


def _filled_in(name: str, spec: str | None, evidence: dict[str, object]) -> str:
    """One name of a sentence: `{name:,}` groups the thousands of a number that is not money
    to the catalogue (a project's own threshold, say)."""
    if name not in evidence:
        return "—"
    value = masked(name, evidence[name])
    return str(_shown(_grouped(value)) if spec == "," else _shown_as(name, value))


def flag_evidence_for_reader(flag: Flag) -> dict[str, object]:
    """The evidence without the identifiers of records the reader may not see, personal values
    masked."""
    sees_other = reader_sees_other(flag)
    return {
        key: masked(key, value)
        for key, value in (flag.evidence or {}).items()
        if sees_other or key not in OTHER_RECORD_KEYS
    }


def _without_other(code: str, evidence: dict[str, object]) -> Promise:
    if code == "photo_duplicate" and evidence.get("same_household") is True:
        code = "photo_duplicate/same_household"
    return DETAILS_WITHOUT_OTHER.get(code, _GENERIC_WITHOUT_OTHER)


# Words that evidence stores as codes, shown in the reader's language.
_WORDS: dict[str, Promise] = {
    "time": _("time"),
    "position": _("position"),
    "end_in_future": _("The visit ends after the server received it"),
    "sent_late": _("The visit was sent long after it ended"),
    "end_before_start": _("The visit ends before it starts"),
    "before_form_published": _("The visit ends before its form version was published"),
    "identical": _("identical file"),
    "problem": _("yes"),
    "ok": _("no"),
    "yes": _("yes"),
    "no": _("no"),
    "ordinary": _("ordinary household"),
    "exited": _("lifted out of poverty"),
    "registered_poor": _("registered poor"),
    "near": _("near-identical picture"),
    "own_helper": _("it was sent by the household's own helper"),
    "no_appraisal": _("no appraisal is on record before it"),
    "no_construction": _("no construction is on record before it"),
    "appraised": _("appraised, not yet renovated"),
    "in_progress": _("under construction"),
    "rectify": _("rectification required"),
    "failed": _("failed acceptance"),
}


# Evidence keys that hold yuan: written with their thousands grouped (45,000 yuan).
_MONEY_KEYS = frozenset(
    {
        "income_per_capita",
        "income_before",
        "line",
        "spend_medical",
        "spend_education",
        "rigid_spending_limit",
        "dept_vehicle_value",
        "vehicle_value_limit",
        "dept_income_tax",
        "dept_out_of_pocket",
    }
)


# Evidence keys that hold a day or a moment (ISO 8601): written out as people write dates.
_DAY_KEYS = frozenset({"last_visit", "appraisal_date"})
_MOMENT_KEYS = frozenset({"taken_at", "window_start", "window_end", "ended_at", "received_at"})


def _shown_as(key: str, value: object) -> object:
    if key in _DAY_KEYS and value:
        return day(value)
    if key in _MOMENT_KEYS and value:
        return moment(value)
    if key in _MONEY_KEYS:
        return _shown(_grouped(value))
    if key == "proposals":
        return _proposals(value)
    if key == "reasons" and isinstance(value, list):
        return "; ".join(str(_shown(reason)) for reason in value)
    return _shown(value)


def _grouped(value: object) -> object:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return value
    if not amount.is_finite():
        return value
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{amount:,.{places}f}"


# The support a visit may propose (the visit form's `proposal` choices).
_PROPOSALS: dict[str, Promise] = {
    "dibao": _("Apply for the minimum living allowance"),
    "tekun": _("Apply for extreme-poverty support"),
    "temporary_assistance": _("Temporary assistance"),
    "medical_assistance": _("Medical assistance"),
    "housing_appraisal": _("House safety appraisal"),
    "housing_renovation": _("Dangerous-house renovation"),
    "education_support": _("Education support or bringing a child back to school"),
    "employment_support": _("Employment support or a public-welfare job"),
    "industry_support": _("Farming or business support"),
    "water_works": _("Drinking-water works"),
    "other": _("Other"),
}


def _proposals(value: object) -> str:
    codes = str(value).split()
    return "; ".join(str(_PROPOSALS.get(code, code)) for code in codes)


def _shown(value: object) -> object:
    if isinstance(value, list):
        return joined(str(_shown(item)) for item in value)
    if isinstance(value, str) and value in _WORDS:
        return str(_WORDS[value])
    return "—" if value is None or value == "" else value
