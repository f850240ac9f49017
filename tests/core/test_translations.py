"""Every user-facing string has its Chinese translation."""

from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation


def catalogue() -> polib.POFile:
    return polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "zh_Hans/LC_MESSAGES/django.po"))


def test_every_message_is_translated_and_none_is_fuzzy():
    po = catalogue()

    assert [e.msgid for e in po if not _translation(e)] == []
    assert [e.msgid for e in po if "fuzzy" in e.flags and e.msgid] == []


def test_placeholders_survive_translation():
    for entry in catalogue():
        for name in ("%(name)s", "%(form)s", "%(version)s", "%(reason)s", "%(state)s", "%(mb)s"):
            assert (name in entry.msgid) == (name in _translation(entry)), entry.msgid


def test_compiled_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Submission received.") == "提交成功。"


def _translation(entry: polib.POEntry) -> str:
    """The entry's Chinese: its msgstr, or for a plural its one form (Chinese has one)."""
    if entry.msgid_plural:
        forms = list(entry.msgstr_plural.values())
        return forms[0] if forms and all(forms) else ""
    return entry.msgstr
