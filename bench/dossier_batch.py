#!/usr/bin/env python3
"""A village's household files (一户一档) as one zip: 500 households (each with a history of
visits and an open case), built through the real export task; prints the wall time, the zip's
size and the process's peak resident memory after the first 50 and after all 500 files, which
stay close when memory is flat (one household's file held at a time).

  .venv/bin/python bench/dossier_batch.py              # 500 households, a fresh SQLite file
  .venv/bin/python bench/dossier_batch.py --households 2000
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=500)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite3'}"
    os.environ["DATA_DIR"] = str(folder / "data")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    user, village = _fill(args.households)
    for size in (50, args.households):
        _measure(user, village, size)


def _fill(count: int) -> tuple[Any, Any]:
    from backend.accounts.models import User
    from backend.areas.models import Area, Level
    from backend.casework.models import Kind, TriggerSource
    from backend.casework.services import Trigger, case_open
    from backend.households.models import Category
    from backend.households.services import household_register
    from backend.projects.models import Membership, Project, Role

    admin = User.objects.create_user(username="bench", password="x" * 12)
    project = Project.objects.create(slug="bench", name="Bench")
    Membership.objects.create(project=project, user=admin, role=Role.ADMIN)
    county = Area.objects.create(code="bc", name="县", level=Level.COUNTY)
    town = Area.objects.create(code="bt", name="镇", level=Level.TOWNSHIP, parent=county)
    village = Area.objects.create(code="bv", name="村", level=Level.VILLAGE, parent=town)
    for n in range(count):
        household = household_register(
            project=project, code=f"B-{n:05}", label=f"B-{n:05} 王*", village=village,
            helper=admin,
            properties={
                "head_name": "王五", "village": "bv", "hh_size": "4", "income_year": "2026",
                "income_pc": "5200", "food_clothing_status": "ok", "edu_status": "ok",
                "med_status": "ok", "housing_status": "ok", "water_status": "ok",
                "head_idno": "520102198001011234",
            },
        )  # fmt: skip
        case_open(
            household=household, kind=Kind.INCLUSION, category=Category.MONITOR_MARGINAL,
            trigger=Trigger(TriggerSource.PERSON, actor=admin),
        )  # fmt: skip
    return admin, village


def _measure(user: Any, village: Any, size: int) -> None:
    from backend.exports.build import export_build
    from backend.exports.models import Export
    from backend.households.models import Household
    from backend.projects.models import Project

    project = Project.objects.get(slug="bench")
    keep = set(Household.objects.order_by("code").values_list("pk", flat=True)[:size])
    export = Export.objects.create(
        project=project, kind="dossiers_zip", requested_by=user,
        parameters={"village": village.code, "locale": "zh-hans"},
    )  # fmt: skip
    started = time.perf_counter()
    if size != Household.objects.count():
        # The first measurement: a village of `size` households (the others moved out of it).
        Household.objects.exclude(pk__in=keep).update(village=village.parent)
    export_build(export_id=export.pk)
    Household.objects.update(village=village)
    export.refresh_from_db()
    print(
        f"{export.row_count} files: {time.perf_counter() - started:.1f} s, "
        f"zip {export.size / 1e6:.1f} MB, state {export.state}, peak RSS {peak_rss_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
