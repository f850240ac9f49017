"""Turn a submission's XML into JSON typed by the form (pure: no Django).

Groups are flattened into slash-separated keys relative to their repeat (or the root); each repeat
becomes a list of such objects, so `members/0/m_name` reads naturally.
"""

import math
from typing import Any
from xml.etree.ElementTree import Element

Value = str | int | float | None | list["Fields"]
Fields = dict[str, Value]


def extract_fields(root: Element, types: dict[str, str]) -> Fields:
    """Return the answers under `root`, typed by the XForm's bind types."""
    return _container(root, f"/{_local(root.tag)}", types)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _container(element: Element, path: str, types: dict[str, str], prefix: str = "") -> Fields:
    out: Fields = {}
    for child in element:
        name = _local(child.tag)
        child_path = f"{path}/{name}"
        key = f"{prefix}{name}"
        if types.get(child_path) == "repeat":
            entries = out.setdefault(key, [])
            if isinstance(entries, list):
                entries.append(_container(child, child_path, types))
        elif len(child):
            out.update(_container(child, child_path, types, prefix=f"{key}/"))
        else:
            out[key] = _typed(child.text, types.get(child_path, "string"))
    return out


def _typed(text: str | None, kind: str) -> Any:
    value = (text or "").strip()
    if value == "":
        return None
    try:
        if kind == "int":
            return int(value)
        if kind == "decimal":
            number = float(value)
            # JSON has no NaN or infinity (1e400 reads as one): keep such an answer as sent.
            return number if math.isfinite(number) else value
    except ValueError:
        return value  # keep what the phone sent rather than lose it
    return value
