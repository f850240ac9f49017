"""The SELECT behind each table of a form's CSV when PostgreSQL writes it (copy_csv runs them).

Every expression mirrors a transform in `backend.exports.tables`, so the bytes are the Python
writer's (tests/exports/test_personal_data.py compares them):

- empty and missing answers are both empty fields (COPY would quote an empty string: NULLIF);
- geopoints and select_multiple answers are split into tokens as Python's `str.split()` does;
- the mask is `backend.audit.privacy.hidden` written in SQL (`mask_sql`);
- text that a spreadsheet would run as a formula gets a leading `'` (`backend.exports.formulas`).

What a row costs, measured on 50,000 rows of the library visit form (67 answer columns): reading
the answers out of the JSON once a row (`jsonb_to_record`) is about half; the rest is writing the
CSV and the few answers that need work. Such answers are worked on in a `LATERAL (... OFFSET 0)`
subquery: without the OFFSET PostgreSQL pulls the subquery up and repeats its expression in every
column that uses it (a geopoint's four columns split the answer four times).
"""

from django.db.models import Model

from backend.accounts.models import User
from backend.audit.privacy import Personal, mask_sql, personal_kind
from backend.exports.formulas import FORMULA_STARTS, PLAIN_NUMBER
from backend.exports.tables import NUMBER, NUMBER_LENGTH, Column, Table
from backend.submissions.models import Submission
from forms.models import FormVersion

# An answer's space-separated tokens, as Python's str.split() gives them.
_TOKENS = (
    "regexp_split_to_array(regexp_replace({x}, '^[[:space:]]+|[[:space:]]+$', '', 'g'), "
    "'[[:space:]]+')"
)
# A geopoint as phones send it, four numbers between single spaces, is split without regular
# expressions beyond this one test; anything else is split into tokens, then each is checked.
# (A match with capture groups, or a lookahead for the length, costs ten times as much here.)
_GEOPOINT = "^" + " ".join([NUMBER] * 4) + "$"
_OBJECT = "CASE WHEN jsonb_typeof({v}) = 'object' THEN {v} ELSE '{{}}'::jsonb END"
_ARRAY = "CASE WHEN jsonb_typeof({v}) = 'array' THEN {v} ELSE '[]'::jsonb END"


def table_sql(path: list[Table], ids_sql: str, since: int | None, until: int | None) -> str:
    """The SELECT of one table: the submissions whose id is in `ids_sql`, and from `since`
    (included) to `until` (excluded) where given. Values from the form (keys, choices, labels)
    are SQL literals: COPY takes no bound parameters, and they repeat inside expressions."""
    table = path[-1]
    answers, laterals = _columns(table.columns)
    record = ", ".join(f"{quote(k)} text" for k in table.distinct_keys) or "none_ text"
    where = f"s.id IN ({ids_sql})"
    if since is not None or until is not None:
        # The range on both sides of the join: PostgreSQL carries equalities across, not ranges.
        bounds = [f"{{id}} >= {since:d}"] if since is not None else []
        bounds += [f"{{id}} < {until:d}"] if until is not None else []
        within = " AND ".join(bounds)
        where = (
            f"s.id IN (SELECT q.pk FROM ({ids_sql}) q WHERE {within.format(id='q.pk')}) "  # noqa: S608
            f"AND {within.format(id='s.id')}"
        )
    if len(path) == 1:
        return _root_sql(answers, f"{record}) {laterals}", where)
    return _repeat_sql(path, answers, f"{record}) {laterals}", where)


def _root_sql(answers: list[str], record: str, where: str) -> str:
    # SubmissionDate as Python's isoformat(timespec="seconds"), in the session's time zone
    # (backend.exports.copy_csv sets the server's).
    received = "to_char(s.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"
    meta = ["s.instance_id", "u.username", "s.device_id", "s.review_state", "v.version"]
    select = [_text(received), *answers, *(_cell(m) for m in meta)]
    return (
        f"SELECT {', '.join(select)} FROM {_table(Submission)} s "  # noqa: S608
        f"LEFT JOIN {_table(User)} u ON u.id = s.submitted_by_id "
        f"LEFT JOIN {_table(FormVersion)} v ON v.id = s.form_version_id "
        f"CROSS JOIN LATERAL jsonb_to_record({_OBJECT.format(v='s.fields')}) AS r({record} "
        f"WHERE {where} ORDER BY s.id"
    )


def _repeat_sql(path: list[Table], answers: list[str], record: str, where: str) -> str:
    # The repeat's list is taken out of the submission's JSON once (OFFSET 0, see above):
    # each mention of `s.fields` would decompress the whole document again.
    first = path[1]
    joins = [
        f"CROSS JOIN LATERAL (SELECT s.fields -> {literal(first.key)} AS v OFFSET 0) e0",
    ]
    keys, order, objects = ["s.instance_id"], ["s.id"], []
    parent = "e0.v"
    for level, child in enumerate(path[1:], start=1):
        entry = f"e{level}"
        items = _ARRAY.format(v=parent if level == 1 else f"{parent} -> {literal(child.key)}")
        joins.append(
            f"CROSS JOIN LATERAL jsonb_array_elements({items}) WITH ORDINALITY AS {entry}(value, n)"
        )
        keys.append(f"{keys[-1]} || {literal(f'/{child.name}[')} || {entry}.n || ']'")
        order.append(f"{entry}.n")
        objects.append(f"jsonb_typeof({entry}.value) = 'object'")
        parent = f"{entry}.value"
    select = [*answers, _cell(keys[-2]), _cell(keys[-1])]
    return (
        f"SELECT {', '.join(select)} FROM {_table(Submission)} s "  # noqa: S608
        f"{' '.join(joins)} "
        f"CROSS JOIN LATERAL jsonb_to_record({parent}) AS r({record} "
        f"WHERE {' AND '.join(objects)} AND {where} ORDER BY {', '.join(order)}"
    )


def _columns(columns: list[Column]) -> tuple[list[str], str]:
    """Each column as SQL, and the lateral subqueries they read: a geopoint's four numbers and
    the tokens of split or labelled select_multiple answers, worked out once a row."""
    geopoints = {c.key: f"g{n}.p" for n, c in enumerate(columns) if c.part == 0}
    needs_tokens = [c.key for c in columns if c.choice is not None or c.labels]
    tokens = {key: f"t{n}.t" for n, key in enumerate(dict.fromkeys(needs_tokens))}
    laterals = [
        f"CROSS JOIN LATERAL (SELECT {_geopoint(f'r.{quote(key)}')} AS p OFFSET 0) {alias[:-2]}"
        for key, alias in geopoints.items()
    ] + [
        f"CROSS JOIN LATERAL (SELECT {_TOKENS.format(x=f'r.{quote(key)}')} AS t OFFSET 0) "
        f"{alias[:-2]}"
        for key, alias in tokens.items()
    ]
    sql = [_column(c, geopoints.get(c.key, ""), tokens.get(c.key, "")) for c in columns]
    return sql, " ".join(laterals)


def _geopoint(answer: str) -> str:
    """The parts of a geopoint answer as a text array, NULL where missing or not a number; the
    columns check the length (`tables.split_geopoint`)."""
    parts = ", ".join(
        f"CASE WHEN t[{n}] ~ {literal(f'^{NUMBER}$')} THEN t[{n}] END" for n in range(1, 5)
    )
    general = (
        f"(SELECT ARRAY[{parts}] "  # noqa: S608
        f"FROM (SELECT {_TOKENS.format(x=answer)} AS t OFFSET 0) x)"
    )
    return (
        f"CASE WHEN {answer} ~ {literal(_GEOPOINT)} THEN string_to_array({answer}, ' ') "
        f"ELSE {general} END"
    )


def _column(column: Column, geopoint: str, tokens: str) -> str:
    """One column as SQL on the record `r` and its lateral subqueries."""
    answer = f"r.{quote(column.key)}"
    if column.part is not None:
        part = f"{geopoint}[{column.part + 1}]"
        value = f"CASE WHEN char_length({part}) <= {NUMBER_LENGTH} THEN {part} END"
    elif column.choice is not None:
        value = (
            f"CASE WHEN coalesce({answer}, '') = '' THEN NULL "
            f"WHEN {literal(column.choice)} = ANY({tokens}) THEN '1' ELSE '0' END"
        )
    elif column.labels is not None and column.kind == "select_one":
        value = f"CASE {answer} {_whens(column.labels)} ELSE {answer} END"
    elif column.labels is not None:
        value = (
            f"(SELECT string_agg(CASE t {_whens(column.labels)} ELSE t END, ', ' "  # noqa: S608
            f"ORDER BY n) FROM unnest({tokens}) WITH ORDINALITY AS u(t, n) WHERE t <> '')"
        )
    else:
        value = answer
    if column.hidden:
        kind = personal_kind(column.key) or Personal.HEALTH
        value = mask_sql(kind, value, vendor="postgresql")
    # A geopoint's part is a number or nothing, a choice's column 1 or 0 (or ****): never a
    # formula, and not worth the test.
    return _text(value) if column.part is not None or column.choice is not None else _cell(value)


def _whens(labels: dict[str, str]) -> str:
    return " ".join(f"WHEN {literal(v)} THEN {literal(label)}" for v, label in labels.items())


def literal(text: str) -> str:
    """A string literal (standard_conforming_strings, PostgreSQL's default since 9.1), with
    `%` doubled for the driver's mogrify, which fills in the selection's parameters."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def _text(value: str) -> str:
    # COPY quotes an empty string ("") to tell it from NULL; Python's csv writes nothing.
    return f"NULLIF(({value})::text, '')"


# `backend.exports.formulas.csv_row` in SQL. The first character is tested before the regular
# expression: a comparison costs a tenth of it, and most cells start with something else.
_STARTS = ", ".join(literal(start) for start in sorted(FORMULA_STARTS))
_FORMULA = "CASE WHEN left({x}, 1) IN ({starts}) AND {x} !~ {number} THEN '''' || {x} ELSE {x} END"


def _cell(value: str) -> str:
    """A text column whose formulas are neutralised, empty as NULL (see `_text`)."""
    text = f"({value})::text"
    return _text(_FORMULA.format(x=text, starts=_STARTS, number=literal(PLAIN_NUMBER)))


def quote(key: str) -> str:
    """A JSON key as a column name for jsonb_to_record (keys are XML names: no quotes)."""
    return '"' + key.replace('"', '""') + '"'


def _table(model: type[Model]) -> str:
    return model._meta.db_table
