"""The labels and sentences a project wrote for its rules, read by the flag catalogue in the
reader's language. Cached per project (every list of flags reads them), forgotten when a rule
row changes."""

from django.core.cache import cache
from django.utils.translation import get_language

from backend.monitoring.library import BY_CODE
from backend.monitoring.models import MonitoringRule

_TIMEOUT = 3600
Words = dict[str, tuple[str, str, str, str]]


def project_words(project_id: int, code: str) -> tuple[str, str]:
    """(label, sentence) in the active language; "" where the project wrote none."""
    found = _words(project_id).get(code)
    if found is None:
        return "", ""
    label_zh, label_en, sentence_zh, sentence_en = found
    if (get_language() or "").startswith("zh"):
        return label_zh, sentence_zh
    return label_en, sentence_en


def own_codes(project_id: int) -> list[str]:
    """The codes of the rules the project added (not those of the library), in code order."""
    return sorted(code for code in _words(project_id) if code not in BY_CODE)


def words_forget(project_id: int) -> None:
    cache.delete(_key(project_id))


def _words(project_id: int) -> Words:
    found: Words | None = cache.get(_key(project_id))
    if found is None:
        rows = MonitoringRule.objects.filter(project_id=project_id).values_list(
            "code", "label_zh", "label_en", "sentence_zh", "sentence_en"
        )
        found = {code: (lz, le, sz, se) for code, lz, le, sz, se in rows if lz or le or sz or se}
        cache.set(_key(project_id), found, _TIMEOUT)
    return found


def _key(project_id: int) -> str:
    return f"monitoring:words:{project_id}"


class ProjectRuleWords:
    """The catalogue's reader of the project's rules (backend/flags/catalogue.ProjectRules)."""

    def words(self, project_id: int, code: str) -> tuple[str, str]:
        return project_words(project_id, code)

    def own_codes(self, project_id: int) -> list[str]:
        return own_codes(project_id)
