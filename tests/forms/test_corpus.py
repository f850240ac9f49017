"""Publish every file of the shared corpus of real forms written by others.

The rule: every XLSForm that pyxform 4.5.0 converts (CONVERSION_RESULTS.tsv) publishes; every one it
rejects is refused with a FormInvalid that names the file and says why; every XForm publishes as is
or, when it is not one this server can serve, is refused the same way. Files that are not forms
(submissions, secondary instances, CSV data a form loads) are refused the same way as well.

The corpus is not part of this repository (licences; see its README): set CORPUS_DIR, or keep it at
<repo>/../shared/corpus. Without it this module is skipped.
"""

import csv
import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from forms.errors import FormInvalid
from forms.models import Form, FormVersion
from forms.services import ITEMSETS_NAME, Upload, form_publish
from tests.factories import ProjectFactory

XLSFORM_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".md")
ENTITIES_NS = "http://www.opendatakit.org/xforms/entities"
# The entities spec versions this server implements; the patch number does not matter.
SUPPORTED_ENTITIES = re.compile(r"(2022|2023|2024|2025)\.1(\.\d+)?")
# An XForm's first element is <h:html>: found with a regex, not a parser, because some XForms of
# the corpus are not well-formed XML and must still be tried as forms.
_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL)
_FIRST_TAG = re.compile(rb"<([\w:.-]+)")
_MEDIA_REF = re.compile(rb"jr://(?:images|audio|video|file|file-csv)/([^\"'<>)\s]+)")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")
# A run published 163 XLSForms and 350 XForms (351 once primary-instance-with-id.xml publishes):
# catch a server (or a corpus lookup) that publishes nothing, not a handful of corpus changes.
MIN_XLSFORMS_EXPECTED_TO_PUBLISH = 150
MIN_XFORMS_PUBLISHED = 330


def _find_corpus() -> Path | None:
    """CORPUS_DIR, else `shared/corpus` beside this repository or beside the one it was cloned
    from (CI tests a fresh clone made elsewhere)."""
    if os.environ.get("CORPUS_DIR"):
        candidates = [Path(os.environ["CORPUS_DIR"])]
    else:
        here = Path(__file__).resolve()
        repo = next((d for d in here.parents if (d / "pyproject.toml").is_file()), None)
        homes = [repo, _origin(repo)] if repo else []
        candidates = [home.parent / "shared" / "corpus" for home in homes if home]
    return next((c for c in candidates if (c / "forms").is_dir()), None)


def _origin(repo: Path) -> Path | None:
    """The local repository this one was cloned from, if it was cloned from a folder."""
    try:
        url = subprocess.run(
            ["git", "-C", str(repo), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return None
    path = Path(url.removeprefix("file://"))
    return path.resolve() if url and path.is_absolute() else None


CORPUS = _find_corpus()
if CORPUS is None:
    pytest.skip(
        "the corpus of real forms is absent: set CORPUS_DIR or put it at <repo>/../shared/corpus",
        allow_module_level=True,
    )
FORMS_DIR = CORPUS / "forms"


@dataclass(frozen=True)
class Case:
    path: Path
    kind: str  # "xlsform" | "xform" | "not-a-form"
    convert_ok: bool | None  # pyxform 4.5.0's verdict (CONVERSION_RESULTS.tsv), None if absent

    @property
    def id(self) -> str:
        return self.path.relative_to(FORMS_DIR).as_posix()

    def upload(self) -> Upload:
        return Upload(name=self.path.name, content=self.path.read_bytes())


def _conversion_results() -> dict[str, bool]:
    with (CORPUS / "CONVERSION_RESULTS.tsv").open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t")
        return {row["path"]: row["convert_ok"] == "True" for row in rows}


def _is_xform(content: bytes) -> bool:
    match = _FIRST_TAG.search(_PROLOG.sub(b"", content.removeprefix(b"\xef\xbb\xbf")))
    return match is not None and match.group(1).split(b":")[-1] == b"html"


def _collect() -> list[Case]:
    """Sort every corpus file into XLSForms, XForms and files that are not forms.

    Not forms: XML whose root is not <h:html> (submissions, secondary instances, formList), files
    an XForm of the corpus loads (jr://file/fruits.csv, lgas.xml, ...) and CSV or Markdown without
    a survey sheet (test data tables).
    """
    converted = _conversion_results()
    files = sorted(p for p in FORMS_DIR.rglob("*") if p.is_file())
    xforms = {p for p in files if p.suffix.lower() == ".xml" and _is_xform(p.read_bytes())}
    media = {m.decode() for p in xforms for m in _MEDIA_REF.findall(p.read_bytes())}
    cases = []
    for path in files:
        rel = path.relative_to(FORMS_DIR).as_posix()
        suffix = path.suffix.lower()
        if path in xforms:
            kind = "xform"
        elif (
            suffix in XLSFORM_SUFFIXES
            and path.name not in media
            and (suffix not in (".csv", ".md") or b"survey" in path.read_bytes().lower())
        ):
            kind = "xlsform"
        else:
            kind = "not-a-form"
        cases.append(Case(path, kind, converted.get(rel)))
    return cases


CASES = _collect()
XLSFORMS = [c for c in CASES if c.kind == "xlsform"]
XFORMS = [c for c in CASES if c.kind == "xform"]
NOT_FORMS = [c for c in CASES if c.kind == "not-a-form"]


def _params(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.id) for c in cases]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _primary_instance(root: ElementTree.Element) -> ElementTree.Element | None:
    """The root of the primary instance, read from the spec rather than from forms/xform.py.

    ODK XForms spec: "The primary instance is the first instance defined by the form"; it may
    carry an id attribute. Elements match by local name: some JavaRosa test forms leave <model>
    outside the XForms namespace, and JavaRosa (so Collect) reads them all the same.
    """
    model = _child(_child(root, "head"), "model")
    instance = _child(model, "instance")
    return instance[0] if instance is not None and len(instance) else None


def _xform_refusal(content: bytes) -> str | None:
    """Why this XForm cannot be served (a fragment of the server's reason), or None if it can."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "UTF-8"
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        return "DTD"
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError:
        # Some ODK Central test forms have a raw `&` in the title or use the `orx:` prefix without
        # declaring it. Central tolerates that; this server deliberately refuses XForms that are
        # not well-formed XML ("malformed XML: ..."), as every XML tool after it would choke.
        return "malformed XML"
    primary = _primary_instance(root)
    if primary is None:
        return "primary <instance>"
    form_id = primary.get("id", "").strip()
    if not form_id:
        return "no id"  # the form id: OpenRosa's formList and the submissions need it
    if "/" in form_id:
        # The form id is a segment of the URLs phones use (forms/form_ids.py): JavaRosa's test
        # form "setvalue/xforms-value changed ..." could never be listed or downloaded.
        return "cannot be part of a web address"
    model = _child(_child(root, "head"), "model")
    entities = model.get(f"{{{ENTITIES_NS}}}entities-version") if model is not None else None
    if entities is not None and not SUPPORTED_ENTITIES.fullmatch(entities):
        # The entities spec requires refusing versions the server does not implement (Collect
        # does too): e.g. 2452.2.0 (newer than 2025.1) and 2020.1.0 (never existed).
        return f"entities spec version {entities}"
    return None


def _assert_published(version: FormVersion) -> None:
    version.refresh_from_db()
    assert version.md5 == hashlib.md5(version.xform.encode("utf-8")).hexdigest()
    primary = _primary_instance(ElementTree.fromstring(version.xform.encode("utf-8")))
    assert primary is not None
    form = Form.objects.get(pk=version.form_id)
    assert form.xml_form_id == primary.get("id", "").strip()
    assert version.version == primary.get("version", "").strip()
    assert form.current_version_id == version.pk


def _assert_clear_refusal(error: FormInvalid, name: str) -> None:
    message = str(error)
    assert name in message, f"the message does not name the file: {message!r}"
    reason = message.split(name, 1)[1].strip(" :")
    assert re.search(r"[A-Za-z]{3}", reason), f"the message gives no reason: {message!r}"
    assert error.details, "FormInvalid.details is empty"
    assert all(d.strip() for d in error.details)
    assert not _TRACEBACK.search(message), f"the message looks like a traceback: {message!r}"
    assert not Form.objects.exists(), "a refused form left a Form row behind"


def _publish(project, user, case: Case):
    # Any exception but FormInvalid fails the test as it is.
    return form_publish(project=project, source=case.upload(), published_by=user)


@pytest.mark.parametrize("case", _params(XLSFORMS))
def test_xlsform_publishes_exactly_when_pyxform_converts_it(project, alice, case):
    assert case.convert_ok is not None, f"{case.id} is missing from CONVERSION_RESULTS.tsv"
    if not case.convert_ok:
        # Deliberately bad fixtures, legacy syntax, spreadsheets that are data, not forms.
        with pytest.raises(FormInvalid) as caught:
            _publish(project, alice, case)
        _assert_clear_refusal(caught.value, case.path.name)
        return

    version = _publish(project, alice, case).version

    _assert_published(version)
    # select_one_external reads itemsets.csv, which the XForm does not name: the server adds it.
    if re.search(r"<input\b[^>]*\squery=", version.xform):
        assert version.attachments.get(name=ITEMSETS_NAME).is_present


@pytest.mark.parametrize("case", _params(XFORMS))
def test_xform_publishes_unchanged_unless_it_cannot_be_served(project, alice, case):
    content = case.path.read_bytes()
    refusal = _xform_refusal(content)
    if refusal is not None:
        with pytest.raises(FormInvalid) as caught:
            _publish(project, alice, case)
        _assert_clear_refusal(caught.value, case.path.name)
        assert refusal in str(caught.value)
        return

    version = _publish(project, alice, case).version

    _assert_published(version)
    assert version.xform == content.decode("utf-8-sig")


@pytest.mark.parametrize("case", _params(NOT_FORMS))
def test_a_file_that_is_not_a_form_is_refused_clearly(project, alice, case):
    # Includes the two CSV files on which pyxform raises a plain TypeError.
    with pytest.raises(FormInvalid) as caught:
        _publish(project, alice, case)

    _assert_clear_refusal(caught.value, case.path.name)


def test_most_of_the_corpus_publishes(alice):
    assert len(CASES) == sum(1 for p in FORMS_DIR.rglob("*") if p.is_file())
    assert sum(1 for c in XLSFORMS if c.convert_ok) >= MIN_XLSFORMS_EXPECTED_TO_PUBLISH

    published = 0
    for case in XFORMS:
        try:
            form_publish(project=ProjectFactory(), source=case.upload(), published_by=alice)
        except FormInvalid:
            continue
        published += 1

    assert published >= MIN_XFORMS_PUBLISHED


OLD_WORKBOOKS = [c for c in XLSFORMS if c.path.suffix.lower() == ".xls" and c.convert_ok][:5]


@pytest.mark.parametrize("case", _params(OLD_WORKBOOKS))
def test_an_old_xls_workbook_saved_as_xlsx_publishes_as_the_xls_does(project, alice, case):
    renamed = Upload(name=f"{case.path.stem}.xlsx", content=case.path.read_bytes())

    version = form_publish(project=project, source=renamed, published_by=alice).version

    # The same stem: the same fallback form id, so the same XForm.
    original = form_publish(project=ProjectFactory(), source=case.upload(), published_by=alice)
    assert version.xform == original.version.xform
    assert "read as .xls" in version.warnings[0]
