"""The statistics tables of the work plans, each with its seed, its quote and its columns
(docs/statistics.md)."""

from django.utils.translation import gettext_lazy as _

from backend.households.models import Category
from backend.statistics import queries
from backend.statistics.spec import Column, TableSpec

_HOUSEHOLDS, _PEOPLE = _("households"), _("people")


def _screening_columns() -> tuple[Column, ...]:
    columns = []
    for line in queries.SCREENING_LINES:
        for group, title in (("poor", _("registered poor")), ("other", _("other rural"))):
            heading = _("below %(line)s yuan, %(group)s")
            columns += [
                Column(
                    f"{group}_{line}_households", _HOUSEHOLDS, group=_Heading(heading, line, title)
                ),
                Column(f"{group}_{line}_people", _PEOPLE, group=_Heading(heading, line, title)),
            ]
    return tuple(columns)


class _Heading:
    """A group heading that fills in its line and group in the reader's language."""

    def __init__(self, text: object, line: int, group: object) -> None:
        self.text, self.line, self.group = text, line, group

    def __str__(self) -> str:
        return str(self.text) % {"line": f"{self.line:,}", "group": self.group}

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


_RISK_LABELS = {
    "illness": _("illness"),
    "disability": _("disability"),
    "education": _("education costs"),
    "disaster": _("natural disaster"),
    "accident": _("accident"),
    "business_failure": _("failed farming or business"),
    "unstable_job": _("unstable employment"),
    "no_labour": _("lack of labour"),
    "other": _("other"),
}
_MEASURE_LABELS = {
    "industry": _("industry support"),
    "employment": _("employment support"),
    "public_job": _("public-welfare job"),
    "health": _("health support"),
    "education": _("education support"),
    "dibao": _("minimum living allowance"),
    "housing": _("housing renovation"),
    "credit": _("micro-credit"),
    "other": _("other"),
}
_GROUP_LABELS = {
    "registered": _("registered poor"),
    "dibao": _("minimum living allowance"),
    "extreme_poor": _("extremely poor"),
    "disabled": _("with a disabled member"),
}
_MONITORED = dict(Category.choices)
_GRADES = {"C": _("grade C"), "D": _("grade D")}

TABLES: dict[str, TableSpec] = {
    spec.key: spec
    for spec in (
        TableSpec(
            key="low_income",
            title=_("Rural households with a per-capita net income below 4,500 and 5,000 yuan"),
            seed="003",
            quote="对年人均纯收入低于4500元、5000元的农村人口,开展精准识别,分别统计",
            columns=_screening_columns(),
            count=queries.low_income,
            incomes_of_year=True,
        ),
        TableSpec(
            key="low_income_causes",
            title=_("Households below 5,000 yuan by cause"),
            seed="003",
            quote="分别统计出年纯人均收入4500元、5000元两个标准的困难群众并统计出致贫原因",
            columns=(
                Column("households", _("households below 5,000 yuan")),
                *(Column(f"risk_{k}", v, group=_("cause")) for k, v in _RISK_LABELS.items()),
                Column("risk_unrecorded", _("not recorded"), group=_("cause")),
            ),
            count=queries.low_income_causes,
            incomes_of_year=True,
        ),
        TableSpec(
            key="returns_and_new",
            title=_("Returned to poverty and newly identified"),
            seed="003",
            quote=(
                "将脱贫成效不稳固的脱贫人口、返贫人口做返贫处理,重新纳入扶持范围；"
                "返贫(重点扶持)人口统计表；新识别(重点扶持)贫困人口统计表"
            ),
            columns=(
                Column("returned_households", _HOUSEHOLDS, group=_("returned to poverty")),
                Column("returned_people", _PEOPLE, group=_("returned to poverty")),
                Column("new_households", _HOUSEHOLDS, group=_("newly identified")),
                Column("new_people", _PEOPLE, group=_("newly identified")),
                *(
                    Column(f"new_{c}", _MONITORED[c], group=_("newly identified, by category"))
                    for c in queries.MONITORED
                ),
            ),
            count=queries.returns_and_new,
        ),
        TableSpec(
            key="incidence",
            title=_("Poverty incidence"),
            seed="001",
            quote="贫困村贫困发生率下降到3%以下",
            columns=(
                Column("population", _("registered rural population")),
                Column("poor_people", _("registered poor not yet lifted out")),
                Column(
                    "incidence",
                    _("poverty incidence (%)"),
                    kind="percent",
                    ratio=("poor_people", "population"),
                ),
                Column("at_risk_people", _("monitored, risk not eliminated")),
                Column(
                    "at_risk_share",
                    _("share at risk (%)"),
                    kind="percent",
                    ratio=("at_risk_people", "population"),
                ),
            ),
            count=queries.incidence,
        ),
        TableSpec(
            key="dropouts",
            title=_("Children out of school in compulsory education"),
            seed="001",
            quote="该入学的一个不少,已入学的一个不走",
            columns=(
                Column("households_with", _("households")),
                Column("children", _("children out of school")),
                Column("primary", _("should be in primary school")),
                Column("junior", _("should be in junior middle school")),
            ),
            count=queries.dropouts,
        ),
        TableSpec(
            key="coverage",
            title=_("Assistance measures and helpers"),
            seed="000",
            quote="帮扶责任人定期进行回访,持续给予帮扶",
            columns=(
                Column("households", _("households assisted")),
                Column("with_helper", _("with a helper")),
                Column(
                    "helper_share",
                    _("helper coverage (%)"),
                    kind="percent",
                    ratio=("with_helper", "households"),
                ),
                Column("with_measure", _("with a measure in place")),
                Column(
                    "measure_share",
                    _("measure coverage (%)"),
                    kind="percent",
                    ratio=("with_measure", "households"),
                ),
                *(
                    Column(f"measure_{k}", v, group=_("by measure"))
                    for k, v in _MEASURE_LABELS.items()
                ),
            ),
            count=queries.coverage,
        ),
        TableSpec(
            key="priority_houses",
            title=_("Dangerous houses of the four priority groups"),
            seed="000",
            quote="确保新增4类重点对象危房全部清零",
            columns=(
                Column("households", _("households (any group)")),
                *(
                    Column(f"{group}_{grade}", _GRADES[grade], group=label)
                    for group, label in _GROUP_LABELS.items()
                    for grade in queries.DANGEROUS
                ),
            ),
            count=queries.priority_houses,
        ),
        TableSpec(
            key="renovation_zero_out",
            title=_("Dangerous houses cleared to zero, by village"),
            seed="000, 001",
            quote="确保新增4类重点对象危房全部清零；对达不到安全要求的及时整改",
            columns=(
                Column("dangerous", _("dangerous houses (grade C or D, or renovated)")),
                Column("priority", _("of the four priority groups")),
                Column("not_started", _("no renovation yet"), group=_("renovation")),
                Column("under_way", _("under way"), group=_("renovation")),
                Column("accepted", _("accepted by the county"), group=_("renovation")),
                Column("remaining", _("not yet cleared"), group=_("still dangerous")),
                Column(
                    "priority_remaining",
                    _("of the four priority groups"),
                    group=_("still dangerous"),
                ),
                Column(
                    "cleared_share",
                    _("cleared (%)"),
                    kind="percent",
                    ratio=("accepted", "dangerous"),
                ),
                Column("moved_in", _("moved in"), group=_("after the works")),
                Column("move_in_late", _("move-in deadline passed"), group=_("after the works")),
                Column("paid", _("subsidy paid"), group=_("after the works")),
            ),
            count=queries.renovation_zero_out,
        ),
        TableSpec(
            key="monitoring",
            title=_("Monitoring objects by category"),
            seed="002",
            quote="既要监测脱贫不稳定户、边缘易致贫户,以及因病因灾因意外事故等导致基本生活出现严重困难户",
            columns=(
                *(
                    Column(f"{c}_{what}", label, group=_MONITORED[c])
                    for c in queries.MONITORED
                    for what, label in (("households", _HOUSEHOLDS), ("people", _PEOPLE))
                ),
                Column("included", _("included in the year")),
                Column("eliminated", _("risk eliminated in the year")),
                Column("at_risk", _("risk not eliminated")),
            ),
            count=queries.monitoring,
        ),
    )
}
