import pytest

from tests.households.entity_forms import publish_entity_forms
from tests.sync.conftest import *  # noqa: F403  the phone, the village and the personas


@pytest.fixture
def forms(project, alice):
    publish_entity_forms(project, alice)
