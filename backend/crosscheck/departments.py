"""The departments whose records a county compares with its households (seed 003: 区市场局…
税务局…区人社局…区住建局…交警部门…区教育局…区医保局…区残联), and the facts each file gives.

A fact of a member becomes a fact of the household that the monitoring rules read, named
`dept_<fact>` (backend/crosscheck/facts.py): the members' values are combined as `combine` says.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Combine(models.TextChoices):
    MAX = "max", _("the largest")
    SUM = "sum", _("the sum")
    COUNT_YES = "count_yes", _("members with yes")
    COUNT_NO = "count_no", _("members with no")
    JOIN = "join", _("the values, joined")


class FactKind(models.TextChoices):
    MONEY = "money", _("yuan")
    YES_NO = "yes_no", _("yes or no")
    TEXT = "text", _("text")


@dataclass(frozen=True)
class FactSpec:
    name: str
    kind: str
    combine: str
    label: Promise


@dataclass(frozen=True)
class Department:
    code: str
    label: Promise
    facts: tuple[FactSpec, ...]


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "market",
        _("Market regulator (businesses)"),
        (FactSpec("company_role", FactKind.TEXT, Combine.JOIN, _("role in a business")),),
    ),
    Department(
        "tax",
        _("Tax office (personal income tax)"),
        (FactSpec("income_tax", FactKind.MONEY, Combine.SUM, _("personal income tax paid")),),
    ),
    Department(
        "hr",
        _("Human resources (work and social insurance)"),
        (
            FactSpec("public_job", FactKind.YES_NO, Combine.COUNT_YES, _("public-sector job")),
            FactSpec("wage_income", FactKind.MONEY, Combine.SUM, _("wages on record")),
        ),
    ),
    Department(
        "housing",
        _("Housing (commercial property)"),
        (
            FactSpec(
                "commercial_property", FactKind.YES_NO, Combine.COUNT_YES, _("commercial property")
            ),
        ),
    ),
    Department(
        "traffic",
        _("Traffic police (vehicles)"),
        (FactSpec("vehicle_value", FactKind.MONEY, Combine.MAX, _("value of a vehicle")),),
    ),
    Department(
        "education",
        _("Education (school enrolment)"),
        (FactSpec("enrolled", FactKind.YES_NO, Combine.COUNT_NO, _("enrolled at school")),),
    ),
    Department(
        "health",
        _("Health insurance"),
        (
            FactSpec("insured", FactKind.YES_NO, Combine.COUNT_NO, _("basic medical insurance")),
            FactSpec("out_of_pocket", FactKind.MONEY, Combine.SUM, _("out-of-pocket costs")),
        ),
    ),
    Department(
        "disabled",
        _("Disabled persons' federation"),
        (FactSpec("certified", FactKind.YES_NO, Combine.COUNT_YES, _("disability certificate")),),
    ),
    Department(
        "civil",
        _("Civil affairs (minimum living allowance, extreme poverty)"),
        (
            FactSpec("dibao", FactKind.YES_NO, Combine.COUNT_YES, _("minimum living allowance")),
            FactSpec("extreme_poor", FactKind.YES_NO, Combine.COUNT_YES, _("extreme poverty")),
        ),
    ),
)

BY_CODE = {department.code: department for department in DEPARTMENTS}
DEPARTMENT_CHOICES = [(department.code, department.label) for department in DEPARTMENTS]

# How a file writes yes and no, unless its template says otherwise.
YES = frozenset({"是", "有", "yes", "y", "1", "true", "参保", "已参保", "在校", "在读", "持证"})
NO = frozenset({"否", "无", "no", "n", "0", "false", "未参保", "不在校", "辍学", "未入学"})


def fact_spec(department: str, fact: str) -> FactSpec | None:
    found = BY_CODE.get(department)
    return next((spec for spec in found.facts if spec.name == fact), None) if found else None
