"""The household import page (backend/households/import_page.py): every row or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from backend.households.models import Household

URL = reverse("households:import", args=["demo"])
HEADER = "code,head_name,village,category,hh_size,helper\n"


def csv(rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("registry.csv", (HEADER + rows).encode(), content_type="text/csv")


def test_imports_csv(client: Client, alice, bob, village):
    client.force_login(alice)
    response = client.post(
        URL,
        {"file": csv("DP-001,张建国,demo-v01,exited,4,bob\nDP-002,刘秀英,demo-v01,,3,\n")},
        follow=True,
    )
    assert "Households registered: 2." in response.content.decode()
    assert Household.objects.get(code="DP-001").helper == bob


def test_imports_xlsx(client: Client, alice, village):
    book = Workbook()
    book.active.append(["code", "head_name", "village"])
    book.active.append(["DP-009", "王五", "demo-v01"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("registry.xlsx", buffer.getvalue())
    client.force_login(alice)
    assert client.post(URL, {"file": upload}).status_code == 302
    assert Household.objects.filter(code="DP-009").exists()


def test_bad_rows_are_listed_with_their_numbers_and_nothing_is_imported(
    client: Client, alice, village
):
    client.force_login(alice)
    rows = (
        "DP-001,张建国,demo-v01,exited,4,\n"
        "DP-002,,nowhere,rich,x,mallory\n"
        "DP-001,李四,demo-v01,,,\n"
    )
    response = client.post(URL, {"file": csv(rows)})
    assert response.status_code == 400
    details = response.context["details"]
    assert [d.split(":")[0] for d in details] == ["Row 3", "Row 4"]
    assert "unknown village nowhere" in details[0]
    assert "the code is already registered" in details[1]
    assert "Row 3" in response.content.decode()
    assert not Household.objects.exists()


def test_missing_columns(client: Client, alice, village):
    client.force_login(alice)
    upload = SimpleUploadedFile("r.csv", b"code,name\n1,2\n")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert "Missing columns: head_name, village." in response.context["error"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_project_admins(client: Client, alice, sam, bob, mallory, village, method):
    for user, status in ((mallory, 404), (bob, 403), (sam, 403)):
        client.force_login(user)
        data = {"file": csv("DP-1,张三,demo-v01,,,\n")} if method == "post" else None
        assert getattr(client, method)(URL, data).status_code == status
    assert not Household.objects.exists()


def test_needs_the_csrf_token(alice, village):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(URL, {"file": csv("DP-1,张三,demo-v01,,,\n")}).status_code == 403
