"""A village's files as one zip of PDFs, built in the background: one PDF per household the
requester sees, each look logged; a batch without a village is refused before it is queued."""

import io
import zipfile

import pytest

from backend.audit.models import AccessLog
from backend.core.errors import InvalidInput
from backend.households.models import Household
from tests.exports.conftest import content
from tests.exports.conftest import run_export as run_export  # a fixture, used by name


def test_a_villages_files_are_one_pdf_each(run_export, sam, project, homes, areas):
    east = areas["east"]
    for n in range(12):
        Household.objects.create(
            project=project, code=f"E-{n + 2:02}", label=f"E-{n + 2:02} 张*", village=east,
            head_name="张三", properties={"head_idno": "520102198001011234"},
        )  # fmt: skip
    export = run_export(sam, project, "dossiers_zip", village=east.code)
    assert export.state == "done", export.error
    bundle = zipfile.ZipFile(io.BytesIO(content(export)))
    names = bundle.namelist()
    assert len(names) == 13 and names[0] == "E-02.pdf"  # noqa: PT018
    assert all(bundle.read(name).startswith(b"%PDF") for name in names)
    assert not any(b"520102198001011234" in bundle.read(name) for name in names)
    assert AccessLog.objects.filter(detail=f"household file (export {export.pk})").count() == 13


def test_a_batch_names_its_village(run_export, sam, project, homes):
    with pytest.raises(InvalidInput):
        run_export(sam, project, "dossiers_zip")
