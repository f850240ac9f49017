"""The village list served to phones as the form attachment `villages.csv`.

Forms choose the village with `select_one_from_file villages.csv`, so the choices are the
project's areas as they are now, not placeholders typed into the spreadsheet. The file is written
from the areas the person may list; its MD5 is the manifest hash, so a renamed, added or moved
village reaches the phones at their next form update.

Every manifest of a form that chooses villages names the file, so it is kept in the cache per
list of areas (everyone whose assigned areas are the same gets the same bytes) until an area is
saved or deleted (the "areas" generation, bumped by the signals in apps.py); SYNC_CACHE_SECONDS
bounds what a write past the models' save() would leave stale.
"""

import csv
import hashlib
import io
from dataclasses import dataclass

from backend.accounts.access import Actor
from backend.areas.access import area_scope, areas_for_actor
from backend.areas.models import Level
from backend.core.cache import bump_with_transaction, cached, generation
from backend.projects.models import Project

VILLAGE_LIST = "villages"
# The cache generation every area's save and delete bumps.
AREAS_GENERATION = "areas"
VILLAGE_FILE = f"{VILLAGE_LIST}.csv"
# `name` is what the form stores (the village code, as the `village` household property);
# `label` is what the phone shows; `township` lets a form filter villages by township.
COLUMNS = ("name", "label", "township")


@dataclass(frozen=True)
class VillageList:
    content: bytes
    md5: str


def village_list(*, actor: Actor, project: Project) -> VillageList:
    """The villages the actor may list in the project, as CSV, with the MD5 of that CSV."""
    scope = area_scope(actor=actor, project=project)
    digest = hashlib.sha256(scope.encode()).hexdigest()[:32]
    key = f"villages:{generation(AREAS_GENERATION)}:{digest}"
    return cached(key, lambda: _village_list(actor, project), in_process=True)


def _village_list(actor: Actor, project: Project) -> VillageList:
    villages = (
        areas_for_actor(actor=actor, project=project)
        .filter(level=Level.VILLAGE)
        .select_related("parent")
        .defer("boundary", "parent__boundary")  # a boundary may weigh kilobytes
        .order_by("code")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for village in villages:
        township = village.parent
        # The township in the label tells apart villages of the same name.
        label = f"{village.name}（{township.name}）" if township else village.name
        writer.writerow((village.code, label, township.code if township else ""))
    content = buffer.getvalue().encode("utf-8")
    md5 = hashlib.md5(content).hexdigest()  # noqa: S324  the OpenRosa manifest hash
    return VillageList(content=content, md5=md5)


def areas_changed(**_signal: object) -> None:
    """Make every kept village list stale (now and at the commit)."""
    bump_with_transaction(AREAS_GENERATION)
