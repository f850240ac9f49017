#!/usr/bin/env python3
"""CPU and queries per OpenRosa request, in-process, on PostgreSQL: a figure that stays put on a
busy machine (CPU seconds of this process, not wall time), to compare code changes.

    .venv/bin/python bench/intake_cost.py [--requests 300] [--database intake]
        [--processing] [--photos 2] [--show-queries] [--profile]

It drops and fills the database (demo data), issues a device token and, through Django's test
client with Collect's headers, measures: the form list; HEAD + POST of a filled `hh_visit`
(intake only: post-processing is left to the queue, as in production); and, with --processing,
the post-processing of those submissions: the merge task (fields, household merge, monitoring
rules) and the evidence task (photos, GPS and timing checks), each on its own. The visit form's
XML and manifest are measured after the form list.
With --photos N it then sends --photo-visits visits with N camera photos each (12 megapixels
with EXIF, 3-4 MB, each a different picture, as a phone takes them) and measures their
post-processing too.
--show-queries prints the SQL of one measured call; --profile prints where the CPU went.
"""

import argparse
import atexit
import contextlib
import cProfile
import io
import os
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(database: str) -> None:
    for command in (["dropdb", "--if-exists", database], ["createdb", database]):
        subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres"], check=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ["DATABASE_CONN_MAX_AGE"] = "600"
    # The database queue, as in production: its row is written with the record; no worker runs
    # here, so the tasks wait (--processing runs them directly).
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    # Photos and thumbnails go to a scratch folder, removed at exit.
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="intake-cost-")
    atexit.register(shutil.rmtree, os.environ["DATA_DIR"], True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()


class Options:
    show_queries = False
    profile = False


def measure(name: str, action: Callable[[], None], count: int, warm: int = 10) -> None:
    from django.db import connection

    for _ in range(warm):
        action()  # warm: caches, prepared connection
    queries: list[str] = []

    def count_query(execute, sql, params, many, context) -> object:  # noqa: ANN001
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_query):
        action()
    profiler = cProfile.Profile(time.process_time) if Options.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for _ in range(count):
        action()
    if profiler:
        profiler.disable()
    cpu = (time.process_time() - cpu) / count * 1000
    wall = (time.perf_counter() - wall) / count * 1000
    print(f"{name:<34} {cpu:7.2f} ms CPU  {wall:7.2f} ms wall  {len(queries):3d} queries")
    if Options.show_queries:
        for sql in queries:
            print(f"    {sql[:220]}")
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            int(os.environ.get("PROFILE_ROWS", "40"))
        )


def camera_picture(seed: int, size: tuple[int, int] = (4000, 3000)) -> tuple[object, object]:
    """A 12-megapixel phone photo (shapes and sensor noise) and the EXIF a camera writes (time,
    position, make, model)."""
    from PIL import ExifTags, Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", size, (120, 140, 90))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randrange(50, size[0] // 2), rng.randrange(50, size[1] // 2)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + w, y + h), fill=colour)
    noise = Image.effect_noise(size, 24).convert("RGB")
    image = Image.blend(image, noise, 0.25)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Xiaomi", "Redmi Note 12"
    details = exif.get_ifd(ExifTags.IFD.Exif)
    taken = datetime.now(timezone(timedelta(hours=8))) - timedelta(minutes=5)
    details[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    details[0x9011] = "+08:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (26.0, 30.0, 12.5), 3: "E", 4: (106.0, 42.0, 7.25)})
    return image, exif


def camera_jpeg(picture: tuple[object, object], rng: random.Random) -> bytes:
    """The picture with a few large blocks of its own, so every photo has its own perceptual
    hash (distinct visits: the duplicate check finds nothing), as a JPEG of about 3 MB."""
    from PIL import ImageDraw

    image, exif = picture
    image = image.copy()  # type: ignore[attr-defined]
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x, y = rng.randrange(4000), rng.randrange(3000)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + rng.randrange(400, 2000), y + rng.randrange(300, 1500)), colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database", default="intake")
    parser.add_argument("--processing", action="store_true")
    parser.add_argument("--photos", type=int, default=0, choices=[0, 1, 2])
    parser.add_argument("--photo-visits", type=int, default=30)
    parser.add_argument("--show-queries", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    Options.show_queries, Options.profile = args.show_queries, args.profile
    setup(args.database)

    import openrosa_load as load
    from django.core.management import call_command
    from django.test import Client

    from backend.accounts.models import User
    from backend.accounts.services import device_token_issue
    from backend.households.models import Household
    from backend.projects.models import Project
    from backend.submissions.models import Submission

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("demo", verbosity=0)
    project = Project.objects.get(slug="demo")
    _, secret = device_token_issue(user=User.objects.get(username="worker"), project=project)
    base = f"/key/{secret}/projects/demo"
    client = Client(headers={"X-OpenRosa-Version": "1.0"})
    rng = random.Random(1)
    # Each visit builds on the version its household will have when the visit is merged (the
    # merges run in the order received), as from a phone with a fresh list: no conflicts.
    households = {str(u): 1 for u in Household.objects.values_list("uuid", flat=True)}
    picture = camera_picture(1) if args.photos else None
    photos_made: Iterator[bytes] = iter(())

    def form_list() -> None:
        assert client.get(f"{base}/formList").status_code == 200

    version = project.forms.get(xml_form_id="hh_visit").current_version
    form_path = f"{base}/forms/hh_visit/{version.md5}"

    def form_download() -> None:
        assert client.get(f"{form_path}/form.xml").status_code == 200

    def manifest() -> None:
        assert client.get(f"{form_path}/manifest").status_code == 200

    def submit(photos: int) -> None:
        names = [f"{rng.randrange(10**12)}.jpg" for _ in range(photos)]
        household = rng.choice(list(households))
        xml = load.visit_xml(household, households[household], names, rng)
        households[household] += 1
        files = [(name, [next(photos_made)]) for name in names]
        body = b"".join(bytes(part) for part in load.multipart(xml, files, "b0undary"))
        client.head(f"{base}/submission")
        response = client.post(
            f"{base}/submission", data=body, content_type="multipart/form-data; boundary=b0undary"
        )
        assert response.status_code == 201, response.content[:300]

    measure("form list", form_list, args.requests)
    measure("form download", form_download, args.requests)
    measure("manifest", manifest, args.requests)
    measure("submission (HEAD + POST)", lambda: submit(0), args.requests)
    if args.processing:
        measure_processing(Submission, "", args.requests)
    if args.photos:
        # Made before the measurement, which is the server's work only.
        made = [camera_jpeg(picture, rng) for _ in range((args.photo_visits + 3) * args.photos)]
        photos_made = iter(made)
        last = Submission.objects.order_by("-pk").values_list("pk", flat=True)[0]
        measure(
            f"submission with {args.photos} photos",
            lambda: submit(args.photos),
            args.photo_visits,
            warm=2,
        )
        label = f" ({args.photos} photos)"
        measure_processing(Submission, label, args.photo_visits, warm=2, after=last)
    return 0


def measure_processing(
    submission_model: type, label: str, count: int, warm: int = 10, after: int = 0
) -> None:
    """The merge task, then the evidence task, over the submissions received after `after`."""
    from backend.pipeline.tasks import check_evidence, process_submission

    pending = list(
        submission_model.objects.filter(processed_at__isnull=True, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = iter(pending)
    measure(f"merge task{label}", lambda: process_submission.call(next(ids)), count, warm)
    ids = iter(pending)
    measure(f"evidence task{label}", lambda: check_evidence.call(next(ids)), count, warm)


if __name__ == "__main__":
    sys.exit(main())
