"""ODK Validate (Java) at publish time: catches what pyxform lets through."""

import shutil

import pytest

from forms.errors import FormInvalid
from forms.library import library_paths
from forms.models import FormVersion
from forms.services import Upload, form_publish
from tests.forms import mdforms

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java"),
]

BAD_XPATH = """
| survey |
|        | type | name | label | relevant      |
|        | text | q1   | Q1    |               |
|        | text | q2   | Q2    | ${q1} = = 'x' |
| settings |
|          | form_id | version |
|          | badx    | 1       |
"""


@pytest.fixture(autouse=True)
def _validate_on(settings):
    settings.FORMS_ODK_VALIDATE = "on"


def test_valid_form_publishes_after_validation(project, alice):
    result = form_publish(
        project=project, source=Upload("f.md", mdforms.SIMPLE.encode()), published_by=alice
    )

    assert result.created


def test_xpath_error_pyxform_misses_is_refused(project, alice):
    with pytest.raises(FormInvalid, match="ODK Validate"):
        form_publish(project=project, source=Upload("f.md", BAD_XPATH.encode()), published_by=alice)

    assert not FormVersion.objects.exists()


def test_validate_errors_name_the_uploaded_file(project, alice):
    with pytest.raises(FormInvalid) as caught:
        form_publish(
            project=project, source=Upload("visit.md", BAD_XPATH.encode()), published_by=alice
        )

    assert "visit.md" in caught.value.details[0]
    assert "${form}" not in str(caught.value)


@pytest.mark.parametrize("source", library_paths(), ids=lambda path: path.stem)
def test_every_library_form_passes_odk_validate(project, alice, source):
    result = form_publish(
        project=project, source=Upload(source.name, source.read_bytes()), published_by=alice
    )

    assert result.created
    assert result.version.warnings == []
