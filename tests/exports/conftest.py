"""A two-language survey with groups, nested repeats, select_multiple, geopoints and photos,
two submissions sent by Bob's phone, and a helper that runs an export as the task would."""

import pytest
from django.core.files.storage import default_storage

from backend.exports.models import Export
from backend.exports.params import ExportParams
from backend.exports.services import export_request
from forms.services import Upload, form_publish
from tests.sync.conftest import *  # noqa: F403  the phone, the village and the personas
from tests.sync.submissions import jpeg, multipart

SURVEY = """
| survey |
|        | type                 | name     | label::English (en) | label::中文 (zh) | calculation |
|        | text                 | head     | Head of household   | 户主             |             |
|        | note                 | hello    | Be polite           | 请礼貌           |             |
|        | geopoint             | home     | Home location       | 住址位置         |             |
|        | image                | house    | House photo         | 住房照片         |             |
|        | begin_group          | money    | Money               | 收入情况         |             |
|        | decimal              | income   | Income              | 收入             |             |
|        | select_multiple risk | risks    | Risks               | 风险             |             |
|        | calculate            | double   |                     |                  | ${income}*2 |
|        | end_group            | money    |                     |                  |             |
|        | begin_repeat         | members  | Member              | 成员             |             |
|        | text                 | m_name   | Name                | 姓名             |             |
|        | integer              | m_age    | Age                 | 年龄             |             |
|        | select_one sex       | m_sex    | Sex                 | 性别             |             |
|        | image                | m_photo  | Member photo        | 成员照片         |             |
|        | begin_repeat         | jobs     | Job                 | 工作             |             |
|        | text                 | j_title  | Job title           | 工作名称         |             |
|        | geopoint             | j_where  | Workplace           | 工作地点         |             |
|        | end_repeat           | jobs     |                     |                  |             |
|        | end_repeat           | members  |                     |                  |             |
| choices |
|         | list_name | name     | label::English (en) | label::中文 (zh) |
|         | risk      | illness  | Illness             | 因病             |
|         | risk      | disaster | Disaster            | 因灾             |
|         | risk      | other    | Other               | 其他             |
|         | sex       | f        | Female              | 女               |
|         | sex       | m        | Male                | 男               |
| settings |
|          | form_id  | version | form_title |
|          | survey_x | 1       | Survey     |
"""

FIRST = (
    b'<data id="survey_x" version="1"><head>Wang</head><home>26.5 106.7 900 5</home>'
    b"<house>house.jpg</house><money><income>1200.5</income><risks>illness other</risks>"
    b"<double>2401</double></money>"
    b"<members><m_name>Li</m_name><m_age>40</m_age><m_sex>f</m_sex><m_photo>li.jpg</m_photo>"
    b"<jobs><j_title>Farmer</j_title><j_where>26.6 106.8 0 10</j_where></jobs>"
    b"<jobs><j_title>Driver</j_title><j_where/></jobs></members>"
    b"<members><m_name>Zhao</m_name><m_age>12</m_age><m_sex>m</m_sex><m_photo/></members>"
    b"<meta><instanceID>uuid:s1</instanceID></meta></data>"
)
SECOND = (
    b'<data id="survey_x" version="1"><head>=cmd|calc</head><home/><house/>'
    b"<money><income>80</income><risks/><double>160</double></money>"
    b"<meta><instanceID>uuid:s2</instanceID></meta></data>"
)


@pytest.fixture
def survey(project, alice):
    return form_publish(
        project=project, source=Upload("survey.md", SURVEY.encode()), published_by=alice
    ).version


@pytest.fixture
def sent(survey, collect):
    """The two submissions as Bob's phone sends them (photos included)."""
    for xml, files in (
        (FIRST, [("house.jpg", jpeg()), ("li.jpg", jpeg((0, 90, 0)))]),
        (SECOND, []),
    ):
        response = collect("post", "submission", data=multipart(xml, *files))
        assert response.status_code == 201, response.content


@pytest.fixture
def run_export(django_capture_on_commit_callbacks):
    """Request an export and run its task as the commit would; return it reloaded."""

    def run(actor, project, kind: str, **params) -> Export:
        with django_capture_on_commit_callbacks(execute=True):
            export = export_request(
                actor=actor, project=project, kind=kind, params=ExportParams(**params)
            )
        export.refresh_from_db()
        return export

    return run


def content(export: Export) -> bytes:
    with default_storage.open(export.file.name, "rb") as handle:
        return handle.read()
