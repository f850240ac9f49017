"""The names the registry gives its own properties, and the values the forms' calculates write,
in the reader's language (the meanings are in forms/library/README.md, "Entity properties").

Everything else a page shows is named by the published forms themselves (labels.py).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.core.display import Kind
from backend.households.models import Category, HouseGrade


@dataclass(frozen=True)
class Known:
    label: Promise
    kind: Kind = Kind.TEXT
    values: Mapping[str, Promise] = field(default_factory=dict)
    # The question whose choices a calculate copies (`last_outcome` = `${outcome}`).
    choices_of: str = ""


GENERIC_VALUES: dict[str, Promise] = {"yes": _("Yes"), "no": _("No")}
# The `*_status` checks: "ok" is guaranteed, "problem" is not (README "Conventions").
STATUS_VALUES: dict[str, Promise] = {"ok": _("Guaranteed"), "problem": _("Problem found")}
RENOVATION_VALUES: dict[str, Promise] = {
    "appraised": _("Appraised, not yet renovated"),
    "in_progress": _("Under construction"),
    "accepted": _("Accepted"),
    "rectify": _("Rectification required"),
    "failed": _("Failed acceptance"),
}

# In the order the household page lists them: who and where, then the visit's checks.
REGISTRY: dict[str, Known] = {
    "hh_code": Known(_("household code")),
    "head_name": Known(_("head of household")),
    "village": Known(_("village")),
    "geometry": Known(_("location of the house"), Kind.POINT),
    "category": Known(_("category"), values=dict(Category.choices)),
    "hh_size": Known(_("members"), Kind.NUMBER),
    "income_pc": Known(_("per-capita net income"), Kind.MONEY),
    "income_year": Known(_("income year")),
    "dibao": Known(_("on the minimum living allowance (dibao)")),
    "extreme_poor": Known(_("supported as extremely poor (tekun)")),
    "has_serious_illness": Known(_("a member has a serious illness")),
    "has_chronic_illness": Known(_("a member has a chronic disease")),
    "has_disabled": Known(_("a member holds a disability certificate")),
    "has_elderly": Known(_("a member is 65 or older")),
    "n_school_age": Known(_("children aged 6-15"), Kind.NUMBER),
    "food_clothing_status": Known(_("no worry about food and clothing")),
    "edu_status": Known(_("compulsory education")),
    "med_status": Known(_("basic medical care")),
    "housing_status": Known(_("safe housing")),
    "water_status": Known(_("safe drinking water")),
    "house_grade": Known(_("house safety grade"), values=dict(HouseGrade.choices)),
    "reno_status": Known(_("renovation status"), values=RENOVATION_VALUES),
    "reno_method": Known(_("renovation method")),
    "reno_area": Known(_("renovation floor area"), Kind.AREA),
    "last_visit": Known(_("last visit"), Kind.DATE),
    "last_outcome": Known(_("outcome of the last visit"), choices_of="outcome"),
    "review_note": Known(_("review note")),
    # What the visit form saves for the rules (forms/library/README.md, "Entity properties").
    "labour_count": Known(_("members able to work"), Kind.NUMBER),
    "income_net": Known(_("net household income"), Kind.MONEY),
    "spend_medical": Known(_("out-of-pocket medical costs"), Kind.MONEY),
    "spend_education": Known(_("out-of-pocket education costs"), Kind.MONEY),
    "income_change_reason": Known(_("reason for the change of income")),
    "n_dropout": Known(_("children out of school"), Kind.NUMBER),
    "n_dropout_primary": Known(_("out of school, primary stage"), Kind.NUMBER),
    "n_dropout_junior": Known(_("out of school, junior middle stage"), Kind.NUMBER),
    "dropout_names": Known(_("names of the children out of school")),
    "n_uninsured": Known(_("members without basic medical insurance"), Kind.NUMBER),
    "n_no_pension": Known(_("members without pension insurance"), Kind.NUMBER),
    "pension_status": Known(_("pension insurance")),
    "relocation_status": Known(_("follow-up support after relocation")),
    "medical_assistance": Known(_("patients receive medical assistance"), choices_of="med_assist"),
    # Asked by the registration and the visit; the inspection's calculate copies it unlabelled.
    "sanitary_toilet": Known(_("sanitary toilet")),
}

# Answers ODK Collect records without a label (metadata), and the amounts the shipped forms
# compute, named here so the submission page shows no bare field name for them.
ANSWERS: dict[str, Known] = {
    "start": Known(_("form opened"), Kind.MOMENT),
    "end": Known(_("form last saved"), Kind.MOMENT),
    "today": Known(_("date filled in"), Kind.DATE),
    "deviceid": Known(_("device ID")),
    "inc_total": Known(_("total household income"), Kind.MONEY),
    "inc_net": Known(_("net household income"), Kind.MONEY),
}

# Amounts in yuan the shipped forms ask for or save, by name (answers and properties alike): a
# form does not say which of its numbers are money.
MONEY_NAMES = frozenset(
    {
        "inc_wage",
        "inc_business",
        "inc_property",
        "inc_transfer",
        "exp_production",
        "exp_rigid",
        "spend_medical",
        "spend_education",
        "inc_total",
        "inc_net",
        "income_net",
        "income_pc",
    }
)
