from forms.questions import DEFAULT, language_code, merge_questions, read_questions
from tests.forms import mdforms

PLAIN = """
| survey |
|        | type              | name  | label |
|        | select_one yn     | ok    | OK?   |
|        | begin_repeat      | rooms | Rooms |
|        | integer           | size  | Size  |
|        | end_repeat        | rooms |       |
| choices |
|         | list_name | name | label |
|         | yn        | yes  | Yes   |
|         | yn        | no   | No    |
"""


def test_untranslated_form_has_default_labels_choices_and_repeats(xform_of):
    questions = read_questions(xform_of(PLAIN).encode())

    assert questions.languages == []
    ok, rooms, size = questions.questions
    assert (ok.kind, ok.label(DEFAULT), [c.label(DEFAULT) for c in ok.choices]) == (
        "select_one", "OK?", ["Yes", "No"])  # fmt: skip
    assert (rooms.kind, rooms.label("anything")) == ("repeat", "Rooms")
    assert (size.kind, size.repeat, size.key(questions.root)) == ("int", "/data/rooms", "size")


def test_merging_versions_keeps_questions_only_older_versions_had(xform_of):
    old = read_questions(xform_of(mdforms.SIMPLE).encode())
    new = read_questions(xform_of(PLAIN).encode())

    merged = merge_questions([new, old])

    assert [q.name for q in merged.questions] == ["ok", "rooms", "size", "name", "where", "photo"]
    assert merged.questions[-1].kind == "image"


def test_language_code_reads_pyxform_language_names():
    assert (language_code("English (en)"), language_code("中文 (zh)")) == ("en", "zh")
    assert language_code("French") == "French"
