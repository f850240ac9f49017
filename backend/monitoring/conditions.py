"""The condition language of the monitoring rules: JSON a county office can read and change.

A condition is a small tree of plain JSON, evaluated against a household's facts:

    {"all": [c, ...]}  {"any": [c, ...]}  {"not": c}
    {"lt": [x, y]}  (also le, gt, ge, eq, ne)   {"in": [x, ["C", "D"]]}   {"present": x}

and a value x is a number or text, or
    {"fact": "income_pc"}        a household property or a column (the facts)
    {"param": "threshold"}       one of the rule's parameters (its thresholds)
    {"line": "income_year"}      the monitoring line of the year a fact names
    {"sub": [x, y]}  (also add, mul, div)

A fact that is missing or not a number where a number is needed makes the comparison unknown,
and an unknown condition opens no flag: a rule speaks only about what a visit recorded. Every
fact, parameter and line the evaluation read is returned with the verdict, so the flag can say
which numbers it rests on.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

Value = Decimal | str | None
LineOf = Callable[[int | None], Decimal | None]


class ConditionError(ValueError):
    """A condition that is not written in the language above."""


@dataclass
class Facts:
    """What a condition can read: the household's facts, the rule's parameters and the lines."""

    facts: Mapping[str, object]
    params: Mapping[str, object] = field(default_factory=dict)
    line_of: LineOf = lambda year: None
    used: dict[str, object] = field(default_factory=dict)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}
_ARITHMETIC: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}


def holds(condition: object, facts: Facts) -> bool | None:
    """True, False, or None when a fact it needs is missing."""
    if not isinstance(condition, dict) or len(condition) != 1:
        raise ConditionError(f"a condition is an object with one operator: {condition!r}")
    [(operator, operand)] = condition.items()
    if operator in ("all", "any"):
        return _combine(operator, operand, facts)
    if operator == "not":
        verdict = holds(operand, facts)
        return None if verdict is None else not verdict
    if operator == "present":
        return value(operand, facts) not in (None, "")
    if operator == "in":
        left, options = _pair(operator, operand)
        found = value(left, facts)
        return None if found in (None, "") else str(found) in {str(o) for o in options}
    if operator in _COMPARE:
        return _compare(operator, operand, facts)
    raise ConditionError(f"unknown operator {operator!r}")


def _combine(operator: str, operands: object, facts: Facts) -> bool | None:
    if not isinstance(operands, list) or not operands:
        raise ConditionError(f"{operator} takes a list of conditions")
    verdicts = [holds(each, facts) for each in operands]
    if operator == "all":
        if False in verdicts:
            return False
        return None if None in verdicts else True
    if True in verdicts:
        return True
    return None if None in verdicts else False


def _compare(operator: str, operand: object, facts: Facts) -> bool | None:
    left, right = (value(side, facts) for side in _pair(operator, operand))
    if left is None or right is None:
        return None
    if isinstance(left, Decimal) != isinstance(right, Decimal):
        left, right = _number(left), _number(right)
        if left is None or right is None:
            return None
    return _COMPARE[operator](left, right)


def value(expression: object, facts: Facts) -> Value:
    """The value of an expression; None when a fact it needs is missing or unusable."""
    if isinstance(expression, bool):
        raise ConditionError("write yes/no answers as text, not true/false")
    if isinstance(expression, int | float):
        return Decimal(str(expression))
    if isinstance(expression, str):
        return expression
    if not isinstance(expression, dict) or len(expression) != 1:
        raise ConditionError(f"not a value: {expression!r}")
    [(operator, operand)] = expression.items()
    if operator == "fact":
        return _remember(facts, str(operand), _plain(facts.facts.get(str(operand))))
    if operator == "param":
        return _remember(facts, str(operand), _plain(facts.params.get(str(operand))))
    if operator == "line":
        year = _number(value({"fact": operand}, facts))
        line = facts.line_of(int(year) if year is not None else None)
        return _remember(facts, "line", _plain(line))
    if operator in _ARITHMETIC:
        return _arithmetic(operator, operand, facts)
    raise ConditionError(f"unknown value {operator!r}")


def _arithmetic(operator: str, operand: object, facts: Facts) -> Decimal | None:
    left, right = (_number(value(side, facts)) for side in _pair(operator, operand))
    if left is None or right is None or (operator == "div" and right == 0):
        return None
    return _ARITHMETIC[operator](left, right)


def _pair(operator: str, operand: object) -> tuple[Any, Any]:
    if not isinstance(operand, list) or len(operand) != 2:
        raise ConditionError(f"{operator} takes two operands")
    return operand[0], operand[1]


def _remember(facts: Facts, name: str, found: Value) -> Value:
    facts.used[name] = found
    return found


def _plain(raw: object) -> Value:
    """A fact as the language compares it: numbers as Decimal, everything else as text."""
    if raw is None or isinstance(raw, Decimal):
        return raw
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, int | float):
        return _number(str(raw))
    if type(raw) is str:
        return _plain_text(raw)
    return _plain_text.__wrapped__(str(raw))


@lru_cache(maxsize=4096)
def _plain_text(raw: str) -> Value:
    """Remembered: the same answers ("no", "ok", "4") are read by every rule of every household,
    and reading text that is not a number as one costs an exception."""
    text = raw.strip()
    number = _number(text)
    return number if number is not None else text


def _number(found: Value) -> Decimal | None:
    if isinstance(found, Decimal):
        return found
    if not found:
        return None
    try:
        number = Decimal(found)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check(condition: object) -> None:
    """Raise ConditionError when the condition is not written in the language: evaluated on no
    facts, every operator of the tree is still read (all and any evaluate each operand)."""
    holds(condition, Facts({}))


def names_read(condition: object) -> set[str]:
    """The facts and parameters a condition reads, and "line" when it reads a line: the names a
    rule's sentence may show."""
    names: set[str] = set()
    _collect(condition, names)
    return names


def _collect(node: object, names: set[str]) -> None:
    if isinstance(node, list):
        for each in node:
            _collect(each, names)
        return
    if not isinstance(node, dict):
        return
    for operator, operand in node.items():
        if operator in ("fact", "param"):
            names.add(str(operand))
        elif operator == "line":
            names.update(("line", str(operand)))
        else:
            _collect(operand, names)
