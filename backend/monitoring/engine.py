"""Run a project's monitoring rules on a household: open the flags whose condition holds,
refresh the numbers of those still holding, close those whose condition has gone.

Runs on every change of a household (a merged visit, an import, a registration, a change of
the lines or the rules, `manage.py recheck_households`); running it again changes nothing. A
flag a supervisor cleared by hand stays cleared while the facts it rested on stay the same, and
opens again when they change.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.db.models import OuterRef, QuerySet, Subquery

from backend.core.cache import cached_on_generation
from backend.core.compiled_select import CompiledSelect
from backend.flags.catalogue import FLAGS
from backend.flags.models import Flag, FlagState, Severity
from backend.flags.services import Opening, flag_refresh, flags_close, flags_open
from backend.households.models import Household
from backend.households.overdue import CODE as OVERDUE
from backend.households.overdue import overdue_closed_by_visit
from backend.monitoring.builtins import BUILTINS, Evidence
from backend.monitoring.conditions import Facts, LineOf, holds
from backend.monitoring.facts import household_facts, households_facts
from backend.monitoring.library import BY_CODE, LIBRARY
from backend.monitoring.lines import line_finder
from backend.monitoring.models import MonitoringRule
from backend.monitoring.signals import rules_generation
from backend.projects.models import Project
from backend.submissions.models import Submission

# The fact a rule reads to know how many serious rules hold (not_monitored): such rules run last.
_SERIOUS_FINDINGS = "serious_findings"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    condition: dict | None
    params: dict = field(default_factory=dict)
    builtin: str = ""
    hardship: bool = True

    @property
    def reads_other_rules(self) -> bool:
        return _SERIOUS_FINDINGS in json.dumps(self.condition or {})


def project_rules(project: Project | int) -> list[Rule]:
    """The library's rules as the project has set them and the rules it added, the active ones,
    in evaluation order; kept until a rule or line of the project changes."""
    project_id = project if isinstance(project, int) else project.pk
    rules = cached_on_generation(
        rules_generation(project_id), f"rules:{project_id}", partial(_project_rules, project_id)
    )
    return list(rules)


def _project_rules(project_id: int) -> list[Rule]:
    rows = {row.code: row for row in MonitoringRule.objects.filter(project_id=project_id)}
    rules = []
    for spec in LIBRARY:
        row = rows.pop(spec.code, None)
        if row is not None and not row.active:
            continue
        rules.append(
            Rule(
                code=spec.code,
                severity=(row.severity if row else "") or spec.severity,
                condition=(row.condition if row else None) or spec.condition,
                params={**spec.params, **(row.params if row else {})},
                builtin=spec.builtin,
                hardship=spec.hardship,
            )
        )
    rules += [
        Rule(code=row.code, severity=row.severity, condition=row.condition, params=row.params)
        for row in rows.values()
        if row.active and row.condition is not None
    ]
    return sorted(rules, key=lambda rule: rule.reads_other_rules)


@dataclass(frozen=True)
class Lookups:
    """What a run over many households of one project reads once rather than per household:
    the monitoring line of each village, and the newest department files."""

    lines: dict[int | None, LineOf] = field(default_factory=dict)
    dept_sources: list[int] | None = None

    def line_of(self, household: Household) -> LineOf:
        if household.village_id not in self.lines:
            self.lines[household.village_id] = line_finder(household.project, household.village_id)
        return self.lines[household.village_id]


def household_findings(
    household: Household, rules: list[Rule], lookups: Lookups | None = None
) -> dict[str, Evidence]:
    """Each rule that holds, with the facts, thresholds and lines it read."""
    lookups = lookups or Lookups()
    facts = household_facts(household, dept_sources=lookups.dept_sources)
    return _findings(household, facts, rules, lookups.line_of(household))


def _findings(
    household: Household, facts: dict[str, object], rules: list[Rule], line_of: LineOf
) -> dict[str, Evidence]:
    found: dict[str, Evidence] = {}
    for rule in rules:
        if rule.builtin:
            evidence = BUILTINS[rule.builtin](household)
        else:
            serious = sum(1 for code in found if _is_serious_hardship(rules, code))
            reading = Facts({**facts, _SERIOUS_FINDINGS: serious}, rule.params, line_of)
            evidence = _shown(reading.used) if holds(rule.condition, reading) else None
        if evidence is not None:
            found[rule.code] = evidence
    return found


def household_rules_apply(
    *,
    household: Household,
    submission: Submission | None = None,
    rules: list[Rule] | None = None,
    lookups: Lookups | None = None,
) -> tuple[list[str], list[str]]:
    """Evaluate the rules on the household; return the codes opened and closed."""
    rules = project_rules(household.project_id) if rules is None else rules
    applied = households_rules_apply(
        [household], submission=submission, rules=rules, lookups=lookups
    )
    return applied[household.pk]


def households_rules_apply(
    households: Sequence[Household],
    *,
    rules: list[Rule],
    submission: Submission | None = None,
    lookups: Lookups | None = None,
) -> dict[int, tuple[list[str], list[str]]]:
    """household_rules_apply on each of the households (of one project), by id: what the rules
    read (facts, open flags, the flags supervisors cleared) is read for all of them at once and
    the new flags are written in one insert, so that a department's file can check thousands."""
    lookups = lookups or Lookups()
    facts = households_facts(households, dept_sources=lookups.dept_sources)
    open_flags = _open_flags(households)
    findings = {
        household.pk: _findings(household, facts[household.pk], rules, lookups.line_of(household))
        for household in households
    }
    new = {
        (household_id, code): evidence
        for household_id, found in findings.items()
        for code, evidence in found.items()
        if code not in open_flags[household_id]
    }
    cleared = _cleared_on_these_facts(new)
    openings = []
    applied: dict[int, tuple[list[str], list[str]]] = {}
    for household in households:
        found, current = findings[household.pk], open_flags[household.pk]
        for rule in rules:
            evidence = found.get(rule.code)
            if evidence is None:
                continue
            if rule.code in current:
                flag_refresh(flag=current[rule.code], evidence=evidence, submission=submission)
            elif (household.pk, rule.code) not in cleared:
                openings.append(Opening(household, rule.code, evidence, rule.severity))
        closed = [code for code in current if _ruled(code) and code not in found]
        flags_close(flags=[current[code] for code in closed], submission=submission)
        if (
            submission is not None
            and OVERDUE in current
            and overdue_closed_by_visit(household, submission)
        ):
            closed.append(OVERDUE)
        applied[household.pk] = ([], closed)
    for flag in flags_open(openings=openings, submission=submission):
        if flag.household_id is not None:  # always: each was opened on one of the households
            applied[flag.household_id][0].append(flag.code)
    return applied


def _open_flags(households: Sequence[Household]) -> dict[int, dict[str, Flag]]:
    """The open flags of each household that are not about one answer, by code."""
    found: dict[int, dict[str, Flag]] = {household.pk: {} for household in households}
    for flag in _OPEN_FLAGS.rows(list(found)):
        if flag.household_id is not None:  # always: read by household
            found[flag.household_id][flag.code] = flag
    return found


def _ruled(code: str) -> bool:
    """A flag the rules keep: a rule of the library or one a project added (or has since
    removed: its flags close), not a check of the registry (visit_overdue, the evidence)."""
    return code in BY_CODE or code not in FLAGS


def _cleared_on_these_facts(new: dict[tuple[int, str], Evidence]) -> set[tuple[int, str]]:
    """The (household, code) of the new findings whose last flag a supervisor cleared, on the
    facts now found again: they stay cleared."""
    if not new:
        return set()
    last = {
        (household_id, code): (state, cleared_by, evidence)
        for household_id, code, state, cleared_by, evidence in _FLAG_OUTCOMES.rows(_last_flags(new))
    }
    return {
        key
        for key, evidence in new.items()
        if key in last
        and last[key][0] == FlagState.CLOSED
        and last[key][1] is not None
        and last[key][2] == evidence
    }


def _last_flags(keys: Iterable[tuple[int, str]]) -> list[int]:
    """The id of each household's last flag of each code: one row per household and code, read
    from the top of the flag_household_code_latest index (a flag that opens and closes on every
    visit leaves hundreds of rows behind), one query per code."""
    by_code: dict[str, list[int]] = {}
    for household_id, code in keys:
        by_code.setdefault(code, []).append(household_id)
    found: list[int] = []
    for code, household_ids in by_code.items():
        found.extend(_LAST_FLAGS.rows(code, household_ids))
    return found


def _last_flags_query(code: str, household_ids: list[int]) -> QuerySet[Household, int]:
    latest = Flag.objects.filter(household_id=OuterRef("pk"), code=code, subject="")
    last = latest.order_by("-created_at", "-pk").values("pk")[:1]
    return (
        Household.objects.filter(pk__in=household_ids)
        .order_by()
        .annotate(last_flag=Subquery(last))
        .filter(last_flag__isnull=False)
        .values_list("last_flag", flat=True)
    )


# Read on every visit's rules run, compiled once per number of households (core/compiled_select.py).
_OPEN_FLAGS = CompiledSelect(
    lambda household_ids: Flag.objects.filter(
        household_id__in=household_ids, state=FlagState.OPEN, subject=""
    )
)
_LAST_FLAGS = CompiledSelect(_last_flags_query)
_FLAG_OUTCOMES = CompiledSelect(
    lambda flag_ids: Flag.objects.filter(pk__in=flag_ids).values_list(
        "household_id", "code", "state", "cleared_by_id", "evidence"
    )
)


def _is_serious_hardship(rules: list[Rule], code: str) -> bool:
    rule = next(rule for rule in rules if rule.code == code)
    return rule.hardship and rule.severity == Severity.SERIOUS


def _shown(used: dict[str, object]) -> Evidence:
    """The facts as stored in the flag's evidence: JSON, numbers as they read (no trailing
    zeros beyond the cents)."""
    return {name: _plain(value) for name, value in sorted(used.items())}


def _plain(value: object) -> object:
    if not isinstance(value, Decimal):
        return value
    try:
        return f"{value.quantize(Decimal('0.01')).normalize():f}"
    except ArithmeticError:  # more digits than a context holds: shown as written
        return str(value)
