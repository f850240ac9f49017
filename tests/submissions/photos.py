"""A received submission with a real JPEG, made through the intake service."""

from django.core.files.base import ContentFile

from backend.pipeline.intake import submission_intake
from backend.submissions.models import Submission
from backend.submissions.services import ReceivedFile
from forms.services import Upload, form_publish
from tests.forms import mdforms
from tests.sync.submissions import jpeg, simple_xml


def publish_simple(project, admin):
    return form_publish(
        project=project, source=Upload("f.md", mdforms.SIMPLE.encode()), published_by=admin
    ).version


def submission_with_photo(project, user, *, photo: bytes | None = None) -> Submission:
    """Bob's phone sends the simple form with photo a.jpg."""
    content = photo or jpeg()
    result = submission_intake(
        project=project,
        xml=simple_xml(photo="a.jpg"),
        files=[ReceivedFile(name="a.jpg", file=ContentFile(content), content_type="image/jpeg")],
        submitted_by=user,
        device_token=None,
    )
    return result.submission
