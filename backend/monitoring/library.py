"""The monitoring rules the project ships, each with the work plan it comes from.

A rule is data: a condition in the language of backend/monitoring/conditions.py over the
household's facts (its properties and columns, backend/monitoring/facts.py), default thresholds,
a severity, and the seed (the number of the work plan) and quote it rests on; docs/households.md
("Monitoring flags") says which work plan each number is and lists every rule with its quote.
Its label and its sentence are in backend/flags/catalogue.py (FLAGS, DETAILS), translated with
the rest. A project changes thresholds, severity or condition, or turns a rule off, with a
MonitoringRule row; rules without a row run as shipped here.

Two checks are not conditions (`builtin`): the floor-area standard, which reads a table of the
project's settings, and the numbers the registry could not use.
"""

from dataclasses import dataclass, field

from backend.flags.models import Severity


@dataclass(frozen=True)
class RuleSpec:
    code: str
    severity: str
    seed: str
    quote: str
    condition: dict | None = None
    params: dict = field(default_factory=dict)
    builtin: str = ""
    # Whether the rule finds hardship, which a household outside monitoring should not have
    # (not_monitored counts such serious findings); a record to check is not hardship.
    hardship: bool = True


def _fact(name: str) -> dict:
    return {"fact": name}


def _is(name: str, answer: str) -> dict:
    return {"eq": [_fact(name), answer]}


def _not_yes(name: str) -> dict:
    """Not recorded as yes: no, or not asked at all."""
    return {"any": [{"not": {"present": _fact(name)}}, {"ne": [_fact(name), "yes"]}]}


_BELOW_LINE = {"lt": [_fact("income_per_capita"), {"line": "income_year"}]}
_RIGID = {"add": [_fact("spend_medical"), _fact("spend_education")]}
_MONITORED = ["monitor_unstable", "monitor_marginal", "monitor_sudden"]

LIBRARY: tuple[RuleSpec, ...] = (
    RuleSpec(
        "income_below_line",
        Severity.SERIOUS,
        "001",
        "人均可支配收入稳定超过国家扶贫标准4000元(按当年国家公布的现价标准)",
        condition=_BELOW_LINE,
    ),
    RuleSpec(
        "house_unsafe",
        Severity.SERIOUS,
        "001, 002",
        "住房结构体系整体基本安全；及时帮助解决因自然灾害…导致的住房安全问题",
        # The current grade and the leak / crack answers, whatever happened to renovations
        # before: a disaster can undo an accepted rebuild.
        condition={
            "any": [
                {"in": [_fact("house_grade"), ["C", "D"]]},
                _is("housing_status", "problem"),
            ]
        },
    ),
    RuleSpec(
        "sudden_hardship",
        Severity.SERIOUS,
        "002",
        "因病因灾因意外事故等导致基本生活出现严重困难户…重点监测其收入支出状况",
        condition={
            "any": [
                {
                    "lt": [
                        {
                            "sub": [
                                _fact("income_per_capita"),
                                {"div": [_RIGID, _fact("hh_size")]},
                            ]
                        },
                        {"line": "income_year"},
                    ]
                },
                {"gt": [_RIGID, {"param": "rigid_spending_limit"}]},
            ]
        },
        params={"rigid_spending_limit": 20000},
    ),
    RuleSpec(
        "returned_to_poverty",
        Severity.SERIOUS,
        "003",
        "将…返贫人口做返贫处理,重新纳入扶持范围",
        condition={"all": [_is("category", "exited"), _BELOW_LINE]},
    ),
    RuleSpec(
        "not_monitored",
        Severity.SERIOUS,
        "002",
        "对符合条件的没有纳入监测对象,而是采取“体外循环”方式解决",
        # Read after the other rules: `serious_findings` counts those that hold.
        condition={
            "all": [
                {"gt": [_fact("serious_findings"), 0]},
                {"present": _fact("category")},
                {"not": {"in": [_fact("category"), _MONITORED]}},
            ]
        },
    ),
    RuleSpec(
        "dibao_not_covered",
        Severity.SERIOUS,
        "004",
        "符合低保条件的及时纳入农村低保兜底脱贫,做到应保尽保",
        condition={
            "all": [
                {"eq": [_fact("labour_count"), 0]},
                _BELOW_LINE,
                {"ne": [_fact("dibao"), "yes"]},
            ]
        },
    ),
    RuleSpec(
        "income_jump",
        Severity.WARNING,
        "003, 001",
        "坚决杜绝数字脱贫、虚假脱贫、“算账式”脱贫",
        # From below the line to just above it, or a rise larger than a set share since the
        # previous visit, with no reason given.
        condition={
            "all": [
                {"not": {"present": _fact("income_change_reason")}},
                {
                    "any": [
                        {
                            "all": [
                                {"lt": [_fact("income_before"), {"line": "income_year_before"}]},
                                {"ge": [_fact("income_per_capita"), {"line": "income_year"}]},
                                {
                                    "lt": [
                                        _fact("income_per_capita"),
                                        {
                                            "mul": [
                                                {"line": "income_year"},
                                                {"param": "just_above"},
                                            ]
                                        },
                                    ]
                                },
                            ]
                        },
                        {
                            "gt": [
                                _fact("income_per_capita"),
                                {"mul": [_fact("income_before"), {"param": "rise_share"}]},
                            ]
                        },
                    ]
                },
            ]
        },
        params={"just_above": 1.1, "rise_share": 1.5},
    ),
    RuleSpec(
        "priority_no_appraisal",
        Severity.WARNING,
        "000, 003",
        "确保新增4类重点对象危房全部清零",
        condition={
            "all": [
                {
                    "any": [
                        _is("dibao", "yes"),
                        _is("extreme_poor", "yes"),
                        _is("has_disabled", "yes"),
                        {"in": [_fact("category"), ["registered_poor", *_MONITORED]]},
                    ]
                },
                {"not": {"present": _fact("house_grade")}},
            ]
        },
    ),
    RuleSpec(
        "reno_stage_skipped",
        Severity.SERIOUS,
        "002, 000",
        "原则上C级危房加固维修,D级危房确无加固维修价值的,应拆除重建；组织开展工程质量“回头看”",
        # An acceptance with no appraisal or no construction record before it: a D house turned
        # into an accepted A by a single "after / pass" inspection.
        condition={
            "all": [
                _is("reno_status", "accepted"),
                {
                    "any": [
                        _is("reno_appraised_before", "no"),
                        _is("reno_built_before", "no"),
                    ]
                },
            ]
        },
        hardship=False,
    ),
    RuleSpec(
        "reno_self_accepted",
        Severity.SERIOUS,
        "003, 001",
        "坚决杜绝数字脱贫、虚假脱贫；被脱贫、假脱贫、数字脱贫",
        condition={"all": [_is("reno_status", "accepted"), _is("reno_accepted_by_helper", "yes")]},
        hardship=False,
    ),
    RuleSpec(
        "support_proposed",
        Severity.WARNING,
        "002, 004",
        "分层分类及时纳入帮扶范围；确保“一户一策”“一户一挂钩”",
        # A visitor's proposal (the minimum living allowance, medical assistance, a renovation)
        # is work for the reviewer: it weighs on the visit's place in the queue.
        condition={"all": [{"present": _fact("proposals")}, {"ne": [_fact("proposals"), "none"]}]},
    ),
    RuleSpec(
        "school_dropout",
        Severity.SERIOUS,
        "000, 001",
        "持续推进控辍保学；该入学的一个不少,已入学的一个不走",
        # The visit form names the children out of school (`dropout_names`); an older form only
        # says that there is one.
        condition={"any": [_is("edu_status", "problem"), {"present": _fact("dropout_names")}]},
    ),
    RuleSpec(
        "medical_care",
        Severity.WARNING,
        "000",
        "全部纳入城乡居民基本医疗保险、大病保险、大病补充医疗保险和医疗救助",
        condition=_is("med_status", "problem"),
    ),
    RuleSpec(
        "drinking_water",
        Severity.WARNING,
        "000",
        "着力解决水量没保证、水质不达标和工程难持续等问题",
        condition=_is("water_status", "problem"),
    ),
    RuleSpec(
        "food_clothing",
        Severity.SERIOUS,
        "001",
        "达到不愁吃不愁穿",
        condition=_is("food_clothing_status", "problem"),
    ),
    # Department records (backend/crosscheck): what other offices' files say of the members.
    RuleSpec(
        "dept_verify",
        Severity.SERIOUS,
        "003",
        "区市场局负责核查困难群众是否为工商户；税务局核查…是否有缴纳个人所得税…区住建局…商品房；交警部门…车辆登记信息",
        condition={
            "any": [
                {"gt": [_fact("dept_vehicle_value"), {"param": "vehicle_value_limit"}]},
                {"present": _fact("dept_company_role")},
                {"gt": [_fact("dept_commercial_property"), 0]},
                {"gt": [_fact("dept_income_tax"), 0]},
                {"gt": [_fact("dept_public_job"), 0]},
            ]
        },
        params={"vehicle_value_limit": 50000},
        hardship=False,
    ),
    RuleSpec(
        "dept_uninsured",
        Severity.WARNING,
        "000, 003",
        "全部纳入城乡居民基本医疗保险…；区医保局负责鉴定慢性病、大病标准",
        condition={"gt": [_fact("dept_insured"), 0]},
    ),
    RuleSpec(
        "dept_not_enrolled",
        Severity.SERIOUS,
        "000, 003",
        "该入学的一个不少；区教育局负责核查学生是否真正因贫治学",
        condition={"gt": [_fact("dept_enrolled"), 0]},
    ),
    RuleSpec(
        "dept_high_costs",
        Severity.SERIOUS,
        "002, 003",
        "因病…导致基本生活出现严重困难户…重点监测其收入支出状况",
        condition={"gt": [_fact("dept_out_of_pocket"), {"param": "rigid_spending_limit"}]},
        params={"rigid_spending_limit": 20000},
    ),
    RuleSpec(
        "dept_new_support",
        Severity.WARNING,
        "003, 004",
        "区残联负责核准残疾情况；符合低保条件的及时纳入农村低保",
        condition={
            "any": [
                {"all": [{"gt": [_fact("dept_dibao"), 0]}, _not_yes("dibao")]},
                {"all": [{"gt": [_fact("dept_certified"), 0]}, _not_yes("has_disabled")]},
                {"all": [{"gt": [_fact("dept_extreme_poor"), 0]}, _not_yes("extreme_poor")]},
            ]
        },
    ),
    RuleSpec(
        "reno_area",
        Severity.WARNING,
        "001",
        "1—3人户控制在40—60平米内…兜底解决的特困户…按下限标准控制",
        builtin="reno_area",
    ),
    RuleSpec(
        "value_out_of_range",
        Severity.WARNING,
        "—",
        "(the registry's own check: a number it cannot hold is kept as sent and not used)",
        builtin="value_out_of_range",
    ),
)

BY_CODE = {spec.code: spec for spec in LIBRARY}
