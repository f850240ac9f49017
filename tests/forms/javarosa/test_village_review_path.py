"""The village look-back review filled by JavaRosa and sent through the OpenRosa endpoint: the
problem it found becomes a rectification item of the village; a problem without its note does
not pass the form."""

import pytest

from backend.casework.models import Case, Kind
from backend.projects.models import Membership
from tests.forms.javarosa.paths import village_review
from tests.forms.javarosa.phone import Phone
from tests.forms.javarosa.test_filled_submissions import library as library  # a fixture

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("village", "library")]


@pytest.fixture
def phone(collect, engine):
    return Phone(collect=collect, engine=engine)


def test_a_review_that_finds_the_clinic_without_a_doctor_opens_its_item(phone, village, bob):
    # Bob reviews the village he is assigned: a review counts only in its sender's villages.
    Membership.objects.get(user=bob).areas.set([village])
    filled = phone.fill("village_review", village_review())
    assert phone.send(filled) == 201

    (item,) = Case.objects.filter(kind=Kind.RECTIFICATION)
    assert (item.village, item.household, item.department) == (village, None, "medical")
    assert "村医退休，无人接替" in item.reason
    assert item.steps.get().record["responsible_person"] == "李主任"


def test_a_problem_without_its_note_does_not_pass_the_form(phone):
    answers = village_review()
    del answers["/data/clinic_note"]
    filled = phone.fill("village_review", answers)
    assert filled.errors
