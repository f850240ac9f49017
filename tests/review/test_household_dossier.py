"""One file per household (一户一档): a household with a renovation and a case renders as a page
and as a PDF with its photos, its case's steps and its problems, and no unmasked ID number for
a supervisor; every look is in the access log; a supervisor of another area gets 404."""

from django.test import Client
from django.urls import reverse

from backend.audit.models import AccessLog
from backend.casework.models import Kind, TriggerSource
from backend.casework.services import Trigger, case_open
from backend.households.models import Category, Household
from tests.casework.pdftext import pdf_text

ID_NUMBER = "520102198001011234"


def _ready(homes, alice):
    east: Household = homes["east"]
    east.refresh_from_db()
    east.properties = {**east.properties, "head_idno": ID_NUMBER, "head_phone": "13900001111"}
    east.save(update_fields=["properties"])
    case_open(
        household=east,
        kind=Kind.INCLUSION,
        category=Category.MONITOR_SUDDEN,
        reason="户主突发重病",
        trigger=Trigger(TriggerSource.PERSON, actor=alice),
    )
    return east


def test_the_file_holds_the_renovation_the_case_and_the_problems_masked(
    client: Client, sam, alice, flagged, homes
):
    east = _ready(homes, alice)
    client.force_login(sam)
    page = client.get(reverse("dossiers:page", args=["demo", east.uuid]))
    assert page.status_code == 200
    dossier = page.context["dossier"]
    assert [p.stage for p in dossier.photos] == ["before"]
    assert dossier.photos[0].caption.endswith(" · 26.50720, 106.70960")
    assert "?size=small" in page.content.decode()
    assert [case.title for case in dossier.cases] == [
        "Inclusion as a monitoring object → Monitoring: sudden severe difficulty"
    ]
    assert "The visit point is outside the village" in {row[0] for row in dossier.flags}
    html = page.content.decode()
    assert ID_NUMBER not in html
    assert "13900001111" not in html

    pdf = client.get(reverse("dossiers:pdf", args=["demo", east.uuid]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"/Subtype /Image" in pdf.content  # the renovation's photo
    text = pdf_text(pdf.content)
    assert "Household file: E-1" in text
    assert "Household check" in text  # the case's waiting step
    assert ID_NUMBER not in text and ID_NUMBER.encode() not in pdf.content  # noqa: PT018
    assert (
        AccessLog.objects.filter(
            object_id=str(east.uuid), detail__startswith="household file"
        ).count()
        == 2
    )


def test_another_areas_supervisor_gets_nothing(client: Client, east_supervisor, alice, homes):
    west = homes["west"]
    client.force_login(east_supervisor)
    assert client.get(reverse("dossiers:pdf", args=["demo", west.uuid])).status_code == 404
    assert not AccessLog.objects.filter(detail__startswith="household file").exists()
