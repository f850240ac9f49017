"""Department staff need their department, which the people pages do not ask for: granting the
role there is refused with a sentence, not a database error."""

import pytest

from backend.accounts.access import require_grant
from backend.core.errors import InvalidInput
from backend.projects.models import Role

pytestmark = pytest.mark.django_db


def test_the_department_role_is_not_handed_out_on_the_people_pages(project, alice):
    with pytest.raises(InvalidInput, match="site admin"):
        require_grant(alice, project, role=Role.DEPARTMENT, area_ids=[])
    require_grant(alice, project, role=Role.COLLECTOR, area_ids=[])  # the others still are
