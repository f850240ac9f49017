"""Run a project's monitoring rules on a household: open the flags whose condition holds,
refresh the numbers of those still holding, close those whose condition has gone.

Runs on every change of a household (a merged visit, an import, a registration, a change of
the lines or the rules, `manage.py recheck_households`); running it again changes nothing. A
flag a supervisor cleared by hand stays cleared while the facts it rested on stay the same, and
opens again when they change.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from backend.flags.catalogue import FLAGS
from backend.flags.models import Flag, FlagState, Severity
from backend.flags.services import flag_close, flag_open, flag_refresh
from backend.households.models import Household
from backend.households.overdue import CODE as OVERDUE
from backend.households.overdue import overdue_closed_by_visit
from backend.monitoring.builtins import BUILTINS, Evidence
from backend.monitoring.conditions import Facts, LineOf, holds
from backend.monitoring.facts import household_facts
from backend.monitoring.library import BY_CODE, LIBRARY
from backend.monitoring.lines import line_finder
from backend.monitoring.models import MonitoringRule
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
    in evaluation order."""
    rows = {row.code: row for row in MonitoringRule.objects.filter(project=project)}
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
            self.lines[household.village_id] = line_finder(household.project, household.village)
        return self.lines[household.village_id]


def household_findings(
    household: Household, rules: list[Rule], lookups: Lookups | None = None
) -> dict[str, Evidence]:
    """Each rule that holds, with the facts, thresholds and lines it read."""
    lookups = lookups or Lookups()
    facts = household_facts(household, dept_sources=lookups.dept_sources)
    line_of = lookups.line_of(household)
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
    findings = household_findings(household, rules, lookups)
    open_flags = {
        flag.code: flag for flag in household.flags.filter(state=FlagState.OPEN, subject="")
    }
    opened = []
    for rule in rules:
        evidence = findings.get(rule.code)
        if evidence is None:
            continue
        if rule.code in open_flags:
            flag_refresh(flag=open_flags[rule.code], evidence=evidence, submission=submission)
        elif not _cleared_on_these_facts(household, rule.code, evidence) and flag_open(
            household=household,
            code=rule.code,
            evidence=evidence,
            submission=submission,
            severity=rule.severity,
        ):
            opened.append(rule.code)
    closed = [code for code in open_flags if _ruled(code) and code not in findings]
    for code in closed:
        flag_close(flag=open_flags[code], submission=submission)
    if (
        submission is not None
        and OVERDUE in open_flags
        and overdue_closed_by_visit(household, submission)
    ):
        closed.append(OVERDUE)
    return opened, closed


def _ruled(code: str) -> bool:
    """A flag the rules keep: a rule of the library or one a project added (or has since
    removed: its flags close), not a check of the registry (visit_overdue, the evidence)."""
    return code in BY_CODE or code not in FLAGS


def _cleared_on_these_facts(household: Household, code: str, evidence: Evidence) -> bool:
    """A supervisor cleared the last flag of this code, and the facts are those it rested on."""
    last = (
        Flag.objects.filter(household=household, code=code, subject="")
        .order_by("-created_at", "-pk")
        .only("state", "cleared_by", "evidence")
        .first()
    )
    return (
        last is not None
        and last.state == FlagState.CLOSED
        and last.cleared_by_id is not None
        and last.evidence == evidence
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
