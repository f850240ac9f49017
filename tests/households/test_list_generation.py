"""Registering many households in one transaction makes the project's kept list tokens stale
at each write and once more at the commit, not once per household at the commit."""

import pytest

from backend.households.imports import households_import


@pytest.mark.django_db(transaction=True)
def test_a_household_import_bumps_its_project_once_at_the_commit(project, village, monkeypatch):
    bumps: list[str] = []
    monkeypatch.setattr("backend.core.cache.cache.set", lambda key, *a, **k: bumps.append(key))
    rows = "code,head_name,village\n" + "".join(f"H-{n},张{n},{village.code}\n" for n in range(20))

    households_import(project=project, filename="h.csv", content=rows.encode(), actor=None)

    at_commit = [key for key in bumps if key == f"generation:households:{project.pk}"]
    assert len(at_commit) == 20 + 1  # one at each write, one at the commit
