"""What the departments' newest files found that must be verified before a household is included
(the rule dept_verify): a vehicle above the limit, a role in a business, commercial property,
income tax paid, a public-sector job. Each finding is a sentence naming the member, the
department and the date of its file, for the case's readers and for the refusal of its approval.
Health and disability records are not among them: they stay on the masked records page."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

from backend.core.display import money
from backend.crosscheck.departments import BY_CODE
from backend.crosscheck.facts import latest_imports
from backend.crosscheck.models import DepartmentFact, MemberStatus
from backend.households.models import Household

# The facts dept_verify reads, in the order the sentences list them.
VERIFY_FACTS = ("vehicle_value", "company_role", "commercial_property", "income_tax", "public_job")


@dataclass(frozen=True)
class Finding:
    fact: str
    value: str
    member: str
    department: str
    data_date: date

    def sentence(self) -> str:
        """ "张三: a vehicle worth ¥86,000 (Traffic police (vehicles), file of 30 Nov 2026)"."""
        found = _("%(finding)s (%(department)s, file of %(date)s)") % {
            "finding": _what(self.fact, self.value),
            "department": BY_CODE[self.department].label,
            "date": formats.date_format(self.data_date, "DATE_FORMAT"),
        }
        if not self.member:
            return found
        return _("%(member)s: %(finding)s") % {"member": self.member, "finding": found}


def verify_findings(household: Household, *, vehicle_limit: Decimal) -> list[Finding]:
    """The findings of the newest files on the members still in the household that ask for a
    verification: a vehicle worth more than `vehicle_limit`, and every business role,
    commercial property, income tax and public-sector job."""
    rows = (
        DepartmentFact.objects.filter(
            household=household,
            source_id__in=latest_imports(household.project_id),
            fact__in=VERIFY_FACTS,
            member__status=MemberStatus.PRESENT,
        )
        .select_related("source", "member")
        .order_by("member__position", "pk")
    )
    found = [
        Finding(row.fact, row.value, row.member.name, row.source.department, row.source.data_date)
        for row in rows
        if row.member is not None and _asks_for_verification(row.fact, row.value, vehicle_limit)
    ]
    return sorted(found, key=lambda finding: VERIFY_FACTS.index(finding.fact))


def _asks_for_verification(fact: str, value: str, vehicle_limit: Decimal) -> bool:
    if fact in ("commercial_property", "public_job"):
        return value == "yes"
    if fact == "company_role":
        return bool(value)
    amount = _amount(value)
    if amount is None:
        return False
    return amount > vehicle_limit if fact == "vehicle_value" else amount > 0


def _what(fact: str, value: str) -> str:
    if fact == "vehicle_value":
        return _("a vehicle worth %(amount)s") % {"amount": money(value)}
    if fact == "company_role":
        return _("a role in a business: %(role)s") % {"role": value}
    if fact == "commercial_property":
        return _("commercial property")
    if fact == "income_tax":
        return _("personal income tax of %(amount)s") % {"amount": money(value)}
    return _("a public-sector job")


def _amount(text: str) -> Decimal | None:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None
