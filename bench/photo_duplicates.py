#!/usr/bin/env python3
"""How long the duplicate-photo lookup takes against many stored photos (synthetic hashes).

    DATABASE_URL=sqlite:///var/dup.sqlite3 .venv/bin/python bench/photo_duplicates.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evidence \
        .venv/bin/python bench/photo_duplicates.py --rows 1000000

Fills the PhotoEvidence table (and the attachments it points to) with --rows random 64-bit hashes
and sha256 values, then times the two lookups a new photo makes (backend/evidence/selectors.py):
the exact match by sha256 and the near match through the band index at the project's distance.
Half the probes are near copies of a stored hash (some bits flipped), half are new pictures.
The database must be empty or hold an earlier run of this script: the script migrates it.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from backend.evidence.models import PhotoEvidence  # noqa: E402
from backend.evidence.selectors import identical_earlier_photo, near_earlier_photos  # noqa: E402
from backend.media import phash  # noqa: E402

BATCH = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--probes", type=int, default=400)
    parser.add_argument("--distance", type=int, default=4, help="the project's threshold")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    submission_id = _fixture_submission()
    stored = _fill(rng, args.rows, submission_id)
    print(f"rows: {stored}  engine: {connection.vendor}  distance: {args.distance}")
    _measure(random.Random(2), args, submission_id)


def _fixture_submission() -> int:
    """One submission owns every synthetic photo: the lookup only reads the photo table."""
    from backend.projects.models import Project
    from backend.submissions.models import Submission
    from forms.models import Form, FormVersion

    project, _ = Project.objects.get_or_create(slug="bench-dup", defaults={"name": "bench"})
    form, _ = Form.objects.get_or_create(
        project=project, xml_form_id="bench", defaults={"title": "bench"}
    )
    version, _ = FormVersion.objects.get_or_create(
        form=form, version="1", defaults={"xform": "<h/>", "md5": "0" * 32, "source": "x"}
    )
    submission, _ = Submission.objects.get_or_create(
        form=form,
        instance_id="bench",
        defaults={"project": project, "form_version": version, "xml": "<d/>", "xml_sha256": "0"},
    )
    return submission.pk


def _fill(rng: random.Random, rows: int, submission_id: int) -> int:
    have = PhotoEvidence.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous = OFF")  # a throw-away benchmark database
        for start in range(have, rows, BATCH):
            count = min(BATCH, rows - start)
            with transaction.atomic():
                cursor.executemany(
                    "INSERT INTO submissions_submissionattachment (created_at, updated_at,"
                    " submission_id, name, state, file, sha256, md5, content_type, image_ok,"
                    " image_problem) VALUES (CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, %s, %s,"
                    " 'received', '', '', '', 'image/jpeg', true, '')",
                    [(submission_id, f"p{start + i}.jpg") for i in range(count)],
                )
                # This script is the only writer: the new rows carry the last `count` ids.
                cursor.execute("SELECT max(id) FROM submissions_submissionattachment")
                last = cursor.fetchone()[0]
                ids = range(last - count + 1, last + 1)
                cursor.executemany(
                    "INSERT INTO evidence_photoevidence (created_at, updated_at, attachment_id,"
                    " submission_id, field, sha256, decodable, problem, taken_offset_known,"
                    " make, model, thumb_small, thumb_large, phash, phash_band0, phash_band1,"
                    " phash_band2, phash_band3) VALUES (CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                    " %s, %s, '/data/photo', %s, true, '', false, '', '', '', '', %s, %s, %s,"
                    " %s, %s)",
                    [_row(rng, attachment, submission_id) for attachment in ids],
                )
            print(f"  stored {start + count}", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE evidence_photoevidence")
    return PhotoEvidence.objects.count()


def _row(rng: random.Random, attachment: int, submission_id: int) -> tuple[object, ...]:
    value = rng.getrandbits(64)
    return (
        attachment,
        submission_id,
        f"{rng.getrandbits(256):064x}",
        phash.to_hex(value),
        *phash.bands(value),
    )


def _measure(rng: random.Random, args: argparse.Namespace, submission_id: int) -> None:
    known = list(PhotoEvidence.objects.order_by("?").values_list("phash", flat=True)[:200])
    exact, near, cpu, found = [], [], [], 0
    for index in range(args.probes):
        if index % 2 and known:
            value = phash.from_hex(rng.choice(known))
            for bit in rng.sample(range(64), rng.randint(0, args.distance)):
                value ^= 1 << bit
        else:
            value = rng.getrandbits(64)
        probe = PhotoEvidence(
            submission_id=submission_id + 1,  # a newer submission than every stored photo
            sha256=f"{rng.getrandbits(256):064x}",
            phash=phash.to_hex(value),
        )
        probe.phash_band0, probe.phash_band1, probe.phash_band2, probe.phash_band3 = phash.bands(
            value
        )
        began, began_cpu = time.perf_counter(), time.process_time()
        identical_earlier_photo(probe, {probe.submission_id})
        exact.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        found += bool(near_earlier_photos(probe, {probe.submission_id}, args.distance))
        near.append((time.perf_counter() - began) * 1000)
        # CPU time of both lookups: what the lookup costs when the machine is not shared.
        cpu.append((time.process_time() - began_cpu) * 1000)
    with open("/proc/loadavg") as loadavg:
        print(f"load average during the run: {loadavg.read().split()[0]}")
    for name, times in (("exact (sha256)", exact), ("near (bands)", near), ("both, CPU", cpu)):
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{name:15} median {statistics.median(times):.2f} ms  p95 {p95:.2f} ms"
            f"  max {times[-1]:.2f} ms"
        )
    print(f"near copies found: {found} of {args.probes // 2} planted")


if __name__ == "__main__":
    main()
