"""A flag told in one sentence: the rule's sentence with the evidence's numbers (the
catalogue's DETAILS, or the project's own words), or, for a rule that wrote none, the facts it
read named by their labels. Pages, the API, the exports and the household file all use it."""

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from backend.core.display import number
from backend.flags.catalogue import flag_details_for_reader, flag_evidence_for_reader
from backend.flags.models import Flag
from backend.households.labels import FormTexts, PropertyLabels

# Evidence that is not a household property, named for a sentence of facts when the rule has
# no sentence of its own; keys not named here (paths, ids) are never shown.
_FACT_NAMES: dict[str, Promise] = {
    "distance_m": gettext_lazy("distance"),
    "limit_m": gettext_lazy("limit"),
    "accuracy_m": gettext_lazy("accuracy"),
    "distance_km": gettext_lazy("distance"),
    "limit_days": gettext_lazy("limit"),
    "cadence_days": gettext_lazy("visit every"),
    "days": gettext_lazy("days"),
    "minutes": gettext_lazy("minutes"),
    "serious_findings": gettext_lazy("serious problems"),
}


def flag_sentence(flag: Flag, labels: PropertyLabels | None = None) -> str:
    """The rule's sentence with the evidence's numbers; for a rule that has none, the facts it
    read, named by their labels (never by their keys)."""
    sentence = flag_details_for_reader(flag)
    if sentence:
        return sentence
    labels = labels or PropertyLabels(FormTexts())
    facts = [_fact(key, value, labels) for key, value in flag_evidence_for_reader(flag).items()]
    return pgettext("list of facts", "; ").join(fact for fact in facts if fact)


def _fact(key: str, value: object, labels: PropertyLabels) -> str:
    if key in _FACT_NAMES:
        return _fact_text(str(_FACT_NAMES[key]), _with_unit(key, value))
    name, shown = labels.evidence(key, value)
    if name == key:
        return ""  # a key no reader would understand: the label says enough
    return _fact_text(name, str(shown) if shown not in (None, "") else "—")


def _fact_text(name: str, value: str) -> str:
    return _("%(name)s: %(value)s") % {"name": name, "value": value}


def _with_unit(key: str, value: object) -> str:
    shown = number(value)
    if key.endswith("_m"):
        return _("%(value)s m") % {"value": shown}
    if key.endswith("_km"):
        return _("%(value)s km") % {"value": shown}
    if key.endswith("_days"):
        count = int(value) if isinstance(value, int | float) else 0
        return ngettext("%(value)s day", "%(value)s days", count) % {"value": shown}
    return shown
