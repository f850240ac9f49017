"""The sentence a project writes for a rule: plain words with {name} where a number the
condition read is shown, e.g. "人均收入{income_per_capita}元，低于{line}元". The catalogue
(backend/flags/catalogue.py) fills the names in, money grouped and answers in words; `{name:,}`
groups the thousands of a number the catalogue does not know as money."""

from string import Formatter

from django.utils.translation import gettext as _

from backend.monitoring.conditions import names_read


def placeholders(sentence: str) -> set[str] | None:
    """The names a sentence shows; None when its braces do not pair up or a name carries
    anything but `:,` (group the thousands)."""
    try:
        parsed = list(Formatter().parse(sentence))
    except ValueError:
        return None
    named = [(name, spec, conv) for _text, name, spec, conv in parsed if name is not None]
    if any(spec not in ("", ",") or conv for _name, spec, conv in named):
        return None
    return {name for name, _spec, _conv in named}


def sentence_problems(sentence: str, condition: object, params: object) -> list[str]:
    """Why the sentence cannot be shown: braces that do not pair, or a name the condition does
    not read (its value would be unknown on every flag). A rule that is not a condition (the
    floor-area standard) shows the names of its own evidence, which are not checked here."""
    if not sentence:
        return []
    shown = placeholders(sentence)
    if shown is None:
        return [
            _(
                "Write a name in braces, e.g. {income_per_capita}, or {limit:,} to group the "
                "thousands; a lone brace is not allowed."
            )
        ]
    if condition is None:
        return []
    known = names_read(condition) | set(params if isinstance(params, dict) else ())
    unknown = sorted(name for name in shown if name not in known)
    if not unknown:
        return []
    return [
        _("The condition does not read %(names)s; it reads %(known)s.")
        % {"names": ", ".join(unknown), "known": ", ".join(sorted(known)) or "—"}
    ]
