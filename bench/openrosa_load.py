#!/usr/bin/env python3
"""Load generator for the OpenRosa endpoints, sending what ODK Collect sends.

Scenarios (the URL is a Collect server URL, e.g. http://127.0.0.1:8765/key/<token>/projects/demo):

  submit    HEAD {url}/submission, then POST a multipart submission of the demo `hh_visit` form
            (`xml_submission_file` first, then --photos JPEG attachments of --photo-bytes each,
            named in house_photo, housing/defect_photo, conclusion/hh_sig). Every submission has
            a fresh instanceID and unique photo bytes (so the server's content-addressed storage
            never deduplicates) and updates one household entity from its current version, as
            a phone with a fresh list does. Before the run, households are registered with
            `hh_registration` submissions until the worker's list has --households of them
            (not measured). Every POST must get 201, and afterwards every household's version
            in the server's list must be what the accepted updates make it.
  formlist  GET {url}/formList (must get 200).
  formxml   GET the hh_visit form's XML, at the downloadUrl the form list gives (200).
  manifest  GET the hh_visit form's manifest, at its manifestUrl (200).
  upload    one POST with a single large attachment (--photo-bytes, default 50 MB here),
            sampling the server's RSS every 20 ms: RSS before, peak, after, workers' VmHWM.

Throughput is submissions (HEAD + POST pairs) or requests per second; latency percentiles are
of the POST (or GET); for submissions the HEAD + POST time is also reported.

Each worker thread holds one keep-alive connection (http.client): the cheapest client in the
standard library, so the load generator takes as little as possible of the CPU it shares with the
server. The first --warmup seconds are not counted.

With --server-pid (the app server's main process), its workers' RSS and the CPU of the app server,
of PostgreSQL (every process named `postgres`) and of this script are sampled from /proc.

Stdlib only, except Pillow (already a server dependency) to make real JPEGs once at start-up.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import re
import sys
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

FORM_ID = "hh_visit"
# The shipped forms' versions, read from their settings sheets so they follow the forms.
_LIBRARY = Path(__file__).resolve().parent.parent / "forms/library"


def _library_version(form_id: str) -> str:
    sheet = (_LIBRARY / f"{form_id}.md").read_text("utf-8")
    return re.search(rf"\| {form_id} \| (\d+) \|", sheet).group(1)  # type: ignore[union-attr]


FORM_VERSION = _library_version(FORM_ID)
REGISTRATION_VERSION = _library_version("hh_registration")
DEVICE_ID = "collect:BENCHLOADGEN0001"
USER_AGENT = "org.odk.collect.android/v2026.2.0 Dalvik/2.1.0 (Linux; U; Android 14; bench)"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

VILLAGES = ["demo-v01", "demo-v02", "demo-v03"]
CHILD_NAMES = ["李小明", "王芳", "张伟", "刘洋", "陈静", "杨磊"]
NOTES = [
    "户主外出务工，妻子在家。房屋后墙有裂缝，已报村委会。",
    "家中老人患高血压，已签约家庭医生，按时服药。",
    "今年种植烤烟五亩，收入较去年增加。饮水来自集中供水，水量充足。",
]


# ---------------------------------------------------------------- the submission (hh_visit)


def visit_xml(
    household: str, base_version: int, photos: list[str], rng: random.Random, update: bool = True
) -> bytes:
    """A complete `hh_visit` instance as Collect writes it (met = yes, all groups answered),
    updating the household entity from `base_version` (the version in the phone's list).

    photos: file names for the image fields, in order house_photo, housing/defect_photo,
    conclusion/hh_sig; fewer names leave the remaining fields empty.
    """
    now = datetime.now(timezone(timedelta(hours=8)))
    start = (now - timedelta(minutes=rng.randint(10, 40))).isoformat(timespec="milliseconds")
    end = now.isoformat(timespec="milliseconds")
    today = now.date().isoformat()
    house, defect, sig = ([*photos, "", "", ""])[:3]
    n_children = rng.randint(0, 3)
    children = "".join(
        f"<children><child_name>{rng.choice(CHILD_NAMES)}</child_name>"
        f"<child_age>{rng.randint(6, 15)}</child_age><child_school>in_school</child_school>"
        "<child_action/></children>"
        for _ in range(n_children)
    )
    size = rng.randint(1, 7)
    wage, business = rng.randint(0, 60000), rng.randint(0, 30000)
    prop, transfer, cost = rng.randint(0, 2000), rng.randint(0, 8000), rng.randint(0, 9000)
    total = wage + business + prop + transfer
    net = total - cost
    pc = round(net / size)
    defects = "yes" if defect else "no"
    lat, lon = 26.5 + rng.random() / 10, 106.7 + rng.random() / 10
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" '
        f'xmlns:entities="http://www.opendatakit.org/xforms/entities" '
        f'id="{FORM_ID}" version="{FORM_VERSION}">'
        f"<start>{start}</start><end>{end}</end><today>{today}</today>"
        f"<deviceid>{DEVICE_ID}</deviceid><village>{rng.choice(VILLAGES)}</village>"
        f"<hh>{household}</hh><prev_code>5201230010{rng.randint(10, 99)}</prev_code>"
        f"<prev_head>张三</prev_head><prev_size>{size}</prev_size>"
        f"<prev_income_pc>{pc + rng.randint(-500, 500)}</prev_income_pc>"
        "<prev_income_year>2025</prev_income_year><prev_grade>B</prev_grade>"
        "<prev_last_visit>2026-08-12</prev_last_visit><prev_review_note/><prev_note/>"
        "<review_note_show/><review_reply/><met>yes</met><not_met_reason/><not_met_note/>"
        f"<house_photo>{house}</house_photo><visit_gps>{lat:.7f} {lon:.7f} 912.3 4.8</visit_gps>"
        f"<household_size><hh_size>{size}</hh_size><size_change/></household_size>"
        "<food_clothing><food_ok>yes</food_ok><clothing_ok>yes</clothing_ok>"
        "<food_clothing_status>ok</food_clothing_status></food_clothing>"
        f"<education><n_school_age>{n_children}</n_school_age>{children}"
        "<n_dropout>0</n_dropout><edu_status>ok</edu_status></education>"
        "<medical><all_insured>yes</all_insured><n_uninsured/>"
        "<has_serious_illness>no</has_serious_illness><has_chronic_illness>yes</has_chronic_illness>"
        "<ill_treated>yes</ill_treated><family_doctor>yes</family_doctor>"
        "<med_status>ok</med_status></medical>"
        f"<housing><house_grade>B</house_grade><house_defects>{defects}</house_defects>"
        f"<defect_photo>{defect}</defect_photo><house_grade_save>B</house_grade_save>"
        f"<housing_status>{'problem' if defect else 'ok'}</housing_status></housing>"
        "<water><water_src>tap</water_src><water_qty>yes</water_qty><water_qual>yes</water_qual>"
        "<water_access>piped_in</water_access><water_rel>yes</water_rel>"
        "<water_status>ok</water_status></water>"
        f"<income><income_year>2026</income_year><inc_wage>{wage}</inc_wage>"
        f"<inc_business>{business}</inc_business><inc_property>{prop}</inc_property>"
        f"<inc_transfer>{transfer}</inc_transfer><exp_production>{cost}</exp_production>"
        f"<spend_medical>{rng.randint(0, 3000)}</spend_medical><spend_education>0</spend_education>"
        f"<inc_total>{total}</inc_total><inc_net>{net}</inc_net><income_pc>{pc}</income_pc>"
        "<income_note/><income_change_save/></income>"
        "<conclusion><risks>none</risks><measures>industry employment</measures>"
        f"<outcome>no_change</outcome><problems/><hh_sig>{sig}</hh_sig>"
        f"<last_visit>{today}</last_visit><last_outcome>no_change</last_outcome></conclusion>"
        f"<notes>{rng.choice(NOTES)}</notes>"
        f'<meta><entity dataset="households" update="{"true" if update else "false"}" '
        # trunkVersion and branchId come from the list's __trunkVersion / __branchId, which the
        # server's households.csv does not have: empty, as for an update made online.
        f'baseVersion="{base_version}" trunkVersion="" branchId="" id="{household}"/><audit/>'
        f"<instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f"<instanceName>{today} 张三家</instanceName></meta></data>"
    ).encode()


def registration_xml(index: int, rng: random.Random) -> bytes:
    """A `hh_registration` instance that creates one household (consent given, one member)."""
    now = datetime.now(timezone(timedelta(hours=8)))
    today = now.date().isoformat()
    code = f"B{uuid.uuid4().int % 10**12:012d}"
    village = VILLAGES[index % len(VILLAGES)]
    head = f"测试户主{index}"
    label = f"{head} {code}"
    size = rng.randint(1, 6)
    income_pc = rng.randint(3000, 20000)
    lat, lon = 26.5 + rng.random() / 10, 106.7 + rng.random() / 10
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" '
        'xmlns:entities="http://www.opendatakit.org/xforms/entities" '
        f'id="hh_registration" version="{REGISTRATION_VERSION}">'
        f"<start>{now.isoformat(timespec='milliseconds')}</start>"
        f"<end>{now.isoformat(timespec='milliseconds')}</end><today>{today}</today>"
        f"<deviceid>{DEVICE_ID}</deviceid>"
        "<consent><consent_given>yes</consent_given><consent_refused/><consent_sig/></consent>"
        f"<address><village>{village}</village>"
        "<village_group>一组</village_group></address>"
        f"<household><hh_code>{code}</hh_code><head_name>{head}</head_name><head_phone/>"
        "<category>monitored</category><risk_types>illness</risk_types><dibao>no</dibao>"
        "<extreme_poor>no</extreme_poor></household><members_intro/>"
        f"<members><m_pos>1</m_pos><m_name>{head}</m_name><m_rel>head</m_rel><m_sex>male</m_sex>"
        "<m_idno/><m_birth>1970-01-01</m_birth><m_age>56</m_age><m_age_note/><m_school/>"
        "<m_out_reason/><m_health>healthy</m_health><m_disabled>no</m_disabled><m_disab_level/>"
        "<m_labour>yes</m_labour><m_med_ins>yes</m_med_ins></members>"
        f"<hh_size>{size}</hh_size><n_school_age>0</n_school_age><n_dropout>0</n_dropout>"
        "<n_uninsured>0</n_uninsured><has_serious_illness>no</has_serious_illness>"
        "<has_chronic_illness>no</has_chronic_illness><has_disabled>no</has_disabled>"
        "<has_elderly>no</has_elderly>"
        f"<income><income_year>2026</income_year><inc_wage>{income_pc * size}</inc_wage>"
        "<inc_business>0</inc_business><inc_property>0</inc_property><inc_transfer>0</inc_transfer>"
        "<exp_production>0</exp_production><spend_medical>0</spend_medical>"
        "<spend_education>0</spend_education>"
        f"<inc_total>{income_pc * size}</inc_total><inc_net>{income_pc * size}</inc_net>"
        f"<income_pc>{income_pc}</income_pc><income_note/></income>"
        "<food_clothing><food_ok>yes</food_ok><clothing_ok>yes</clothing_ok>"
        "<food_clothing_status>ok</food_clothing_status></food_clothing>"
        "<education><edu_note/><edu_status>ok</edu_status></education>"
        "<medical><med_note/><ill_treated/><family_doctor>yes</family_doctor>"
        "<med_status>ok</med_status></medical>"
        "<housing><house_struct>brick</house_struct><house_year>2010</house_year>"
        "<house_area>90</house_area><house_grade>B</house_grade><house_defects>no</house_defects>"
        "<house_grade_save>B</house_grade_save><housing_status>ok</housing_status><house_photo/>"
        f"<location>{lat:.7f} {lon:.7f} 905.0 5.0</location></housing>"
        "<water><water_src>tap</water_src><water_qty>yes</water_qty><water_qual>yes</water_qual>"
        "<water_access>piped_in</water_access><water_rel>yes</water_rel>"
        "<water_status>ok</water_status></water><notes/>"
        f"<hh_label>{label}</hh_label><last_visit>{today}</last_visit>"
        f'<meta><entity dataset="households" create="1" id="{uuid.uuid4()}">'
        f"<label>{label}</label></entity><audit/><instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f"<instanceName>{today} {label}</instanceName></meta></data>"
    ).encode()


class Households:
    """The phone's household list: ids and the version each was last seen at.

    A household is lent to one submission at a time and its version goes up when the server
    accepted the update, so every update is based on the current version, as from a phone that
    has just refreshed its list (no conflicts; they are a different workload).
    """

    def __init__(self, versions: dict[str, int], reuse_after: float = 0.0) -> None:
        self.versions = dict(versions)
        self.free = list(versions)
        self.lock = threading.Lock()
        # With post-processing on a worker, a phone sees its update in the list only once it is
        # merged: a household rests this long before its next visit is based on the new version.
        self.reuse_after = reuse_after
        self.resting: deque[tuple[float, str]] = deque()

    def take(self, rng: random.Random) -> tuple[str, int, bool]:
        with self.lock:
            now = time.monotonic()
            while self.resting and self.resting[0][0] <= now:
                self.free.append(self.resting.popleft()[1])
            if not self.free:  # fewer households than concurrent submissions: share one
                household = rng.choice(list(self.versions))
                return household, self.versions[household], False
            i = rng.randrange(len(self.free))
            self.free[i], self.free[-1] = self.free[-1], self.free[i]
            household = self.free.pop()
            return household, self.versions[household], True

    def give_back(self, household: str, lent: bool, updated: bool) -> None:
        with self.lock:
            if updated:
                self.versions[household] += 1
            if lent and self.reuse_after > 0:
                self.resting.append((time.monotonic() + self.reuse_after, household))
            elif lent:
                self.free.append(household)


def make_jpeg(target_bytes: int, seed: int) -> bytes:
    """A JPEG that decodes (random noise, as a camera's high-entropy photo), padded with COM
    segments to about target_bytes. Made once; each POST then makes it unique (see unique_jpeg)."""
    from PIL import Image  # only here: the formlist scenario needs no Pillow

    rng = random.Random(seed)
    side = 64
    # Noise compresses badly: grow the image until the encoded size is near the target.
    while True:
        width, height = side * 4 // 3, side
        image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
        data = buffer.getvalue()
        if len(data) >= target_bytes * 0.9 or side > 8192:
            break
        side = int(side * max(1.1, min(2.0, (target_bytes * 0.95 / len(data)) ** 0.5)))
    if len(data) > target_bytes:
        return data
    # Pad up to the target with comment segments after SOI (each at most 65,533 bytes).
    missing = target_bytes - len(data)
    segments = []
    while missing > 4:
        n = min(65533, missing - 4)
        segments.append(b"\xff\xfe" + (n + 2).to_bytes(2, "big") + rng.randbytes(n))
        missing -= n + 4
    return data[:2] + b"".join(segments) + data[2:]


def padding(target_bytes: int, seed: int) -> bytes:
    """JPEG comment segments (random bytes) of about target_bytes, made once per run."""
    rng = random.Random(seed)
    segments, missing = [], target_bytes
    while missing > 4:
        n = min(65533, missing - 4)
        segments.append(b"\xff\xfe" + (n + 2).to_bytes(2, "big") + rng.randbytes(n))
        missing -= n + 4
    return b"".join(segments)


def distinct_jpeg(pad: bytes, rng: random.Random) -> list[bytes]:
    """A picture of its own (a few random blocks, 160x120: distinct perceptual hashes, so the
    server's duplicate check finds no matches, as with real visits), padded to the photo size."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 120), (rng.randrange(256), rng.randrange(256), 90))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(160), rng.randrange(120)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + rng.randrange(10, 80), y + rng.randrange(10, 60)), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    data = buffer.getvalue()
    return [data[:2], memoryview(pad), data[2:]]


def unique_jpeg(base: bytes) -> list[bytes]:
    """The base JPEG with a 36-byte comment right after SOI: new bytes, same picture, no copy."""
    tag = str(uuid.uuid4()).encode()
    return [base[:2], b"\xff\xfe" + (len(tag) + 2).to_bytes(2, "big") + tag, memoryview(base)[2:]]


def next_visit_body(households: dict[str, int], rng: random.Random, boundary: str) -> bytes:
    """The multipart body of a visit without photos to one of `households` (uuid -> the version
    the household will have when the visits before it are merged, in the order sent), joined."""
    household = rng.choice(list(households))
    xml = visit_xml(household, households[household], [], rng)
    households[household] += 1
    return b"".join(bytes(part) for part in multipart(xml, [], boundary))


def multipart(xml: bytes, files: list[tuple[str, list[bytes]]], boundary: str) -> list[bytes]:
    """The body as a list of buffers (sent one after the other, never joined)."""
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="xml_submission_file"; '
        f'filename="{FORM_ID}_{datetime.now():%Y-%m-%d_%H-%M-%S}.xml"\r\n'
        "Content-Type: text/xml\r\n\r\n"
    ).encode()
    body: list[bytes] = [head, xml, b"\r\n"]
    for name, pieces in files:
        body.append(
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
                "Content-Type: image/jpeg\r\n\r\n"
            ).encode()
        )
        body.extend(pieces)
        body.append(b"\r\n")
    body.append(f"--{boundary}--\r\n".encode())
    return body


# ---------------------------------------------------------------- HTTP


class Client:
    """One keep-alive connection; reconnects if the server closed it."""

    def __init__(self, base: str, timeout: float) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = parts.path.rstrip("/")
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def request(
        self,
        method: str,
        endpoint: str,
        body: list[bytes] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        url = f"{self.path}/{endpoint}?deviceID={DEVICE_ID.replace(':', '%3A')}"
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.putrequest(method, url, skip_accept_encoding=True)
                conn.putheader("X-OpenRosa-Version", "1.0")
                conn.putheader("User-Agent", USER_AGENT)
                conn.putheader("Accept-Encoding", "gzip")
                for key, value in (headers or {}).items():
                    conn.putheader(key, value)
                if body is not None:
                    conn.putheader("Content-Length", str(sum(len(b) for b in body)))
                conn.endheaders()
                for piece in body or ():
                    conn.send(piece)
                response = conn.getresponse()
                data = response.read()
                if response.will_close:
                    self.close()
                return response.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed while idle: retry once on a new one.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# ---------------------------------------------------------------- /proc sampling


def _children(pid: int) -> list[int]:
    """Every process below pid: a supervisor's app server and that server's workers too."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            direct = [int(p) for p in f.read().split()]
    except OSError:
        return []
    return [*direct, *(p for child in direct for p in _children(child))]


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(comm, utime+stime ticks, rss bytes)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    comm = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return comm, int(fields[11]) + int(fields[12]), int(fields[21]) * PAGE


def _hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _postgres_pids(database: str | None) -> list[int]:
    """PostgreSQL's processes: the shared ones (writer, checkpointer, WAL...) and the backends
    connected to `database` (all backends when None), so other databases' clients do not count."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        st = _stat(int(name))
        if not st or st[0] != "postgres":
            continue
        if database is not None:
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    words = f.read().replace(b"\0", b" ").decode("utf-8", "replace").split()
            except OSError:
                continue
            # A backend's title is "postgres: 15/main: USER DATABASE HOST(PORT) STATE".
            is_backend = any(("(" in w and w.endswith(")")) or w == "[local]" for w in words)
            if is_backend and database not in words:
                continue
        pids.append(int(name))
    return pids


def _system_ticks() -> tuple[int, int]:
    """(busy, total) jiffies over all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # without guest time, already counted in user
    return total - idle, total


@dataclass
class Sample:
    t: float
    workers_rss: int
    server_ticks: int
    pg_ticks: dict[int, int]  # per process: backends come and go
    task_ticks: int
    self_cpu: float
    busy_ticks: int
    total_ticks: int


@dataclass
class Sampler:
    """Samples the app server's workers (children of --server-pid), PostgreSQL and this process."""

    server_pid: int | None
    database: str | None = None
    interval: float = 0.2
    # The task workers (`manage.py db_worker`) of the topology under test: their CPU is part of
    # the run, not a disturbance from outside.
    task_pids: list[int] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def worker_pids(self) -> list[int]:
        return _children(self.server_pid) if self.server_pid else []

    def workers_rss(self) -> int:
        return sum((_stat(p) or ("", 0, 0))[2] for p in self.worker_pids())

    def workers_hwm(self) -> dict[int, int]:
        return {p: _hwm(p) for p in self.worker_pids()}

    def take(self) -> Sample:
        rss, s_ticks = 0, 0
        if self.server_pid:
            master = _stat(self.server_pid)
            s_ticks += master[1] if master else 0
            for pid in self.worker_pids():
                st = _stat(pid)
                if st:
                    s_ticks += st[1]
                    rss += st[2]
        pg = {p: st[1] for p in _postgres_pids(self.database) if (st := _stat(p))}
        tasks = sum(st[1] for p in self.task_pids if (st := _stat(p)))
        t = os.times()
        busy, total = _system_ticks()
        return Sample(time.monotonic(), rss, s_ticks, pg, tasks, t.user + t.system, busy, total)

    def start(self) -> None:
        self.samples = [self.take()]

        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.samples.append(self.take())

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.samples.append(self.take())
        first, last = self.samples[0], self.samples[-1]
        elapsed = last.t - first.t or 1e-9
        ncpu = os.cpu_count() or 1
        server = 100 * (last.server_ticks - first.server_ticks) / CLK_TCK / elapsed
        # A process that started during the run counts from zero; one that ended is lost.
        pg_ticks = sum(t - first.pg_ticks.get(p, 0) for p, t in last.pg_ticks.items())
        postgres = 100 * pg_ticks / CLK_TCK / elapsed
        loadgen = 100 * (last.self_cpu - first.self_cpu) / elapsed
        tasks = 100 * (last.task_ticks - first.task_ticks) / CLK_TCK / elapsed
        busy = (last.busy_ticks - first.busy_ticks) / max(1, last.total_ticks - first.total_ticks)
        return {
            # Whole machine, % of all CPUs; "other" is what none of the four used (% of one core):
            # anything else running on the machine during the measurement.
            "system_busy_pct": 100 * busy,
            "other_cpu_pct": max(0.0, 100 * busy * ncpu - server - postgres - loadgen - tasks),
            "tasks_cpu_pct": tasks,
            "server_rss_mib_start": first.workers_rss / 2**20,
            "server_rss_mib_peak": max(s.workers_rss for s in self.samples) / 2**20,
            "server_rss_mib_end": last.workers_rss / 2**20,
            "server_cpu_pct": server,
            "postgres_cpu_pct": postgres,
            "loadgen_cpu_pct": loadgen,
        }


# ---------------------------------------------------------------- the run


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # seconds, the timed request
    head_latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    head_statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # exceptions by type
    bad_bodies: list[str] = field(default_factory=list)
    sent_bytes: int = 0
    last_status: int = 0


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.measuring = False
        self.stop = threading.Event()
        self.remaining = args.requests
        self.lock = threading.Lock()
        self.households = Households({})
        self.photo = b""
        self.next_slot = 0.0
        self.endpoint = "formList"

    def take_ticket(self) -> bool:
        """May this worker start one more request? With --rate, wait for the next slot first."""
        if self.stop.is_set():
            return False
        if self.args.rate:
            with self.lock:
                now = time.monotonic()
                slot = max(now, self.next_slot)
                self.next_slot = slot + 1 / self.args.rate
            time.sleep(slot - now)
            if self.stop.is_set():
                return False
        if not self.measuring or self.remaining is None:
            return True
        with self.lock:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            return True

    def worker(self, index: int, stats: Stats, warm: Stats) -> None:
        args = self.args
        client = Client(args.url, args.timeout)
        rng = random.Random(index * 7919 + os.getpid())
        boundary = f"----bench{uuid.uuid4().hex}"
        try:
            while self.take_ticket():
                counted = self.measuring
                target = stats if counted else warm
                try:
                    if args.scenario in GETS:
                        t0 = time.perf_counter()
                        status, body = client.request("GET", self.endpoint)
                        target.latencies.append(time.perf_counter() - t0)
                        target.statuses[status] += 1
                        if status != 200 and len(target.bad_bodies) < 5:
                            target.bad_bodies.append(body[:300].decode("utf-8", "replace"))
                    else:
                        self.submit_once(client, rng, boundary, target)
                except (OSError, http.client.HTTPException) as exc:
                    target.errors[type(exc).__name__] += 1
                    client.close()
                if counted and not self.measuring:
                    break
        finally:
            client.close()

    def submit_once(self, client: Client, rng: random.Random, boundary: str, stats: Stats) -> None:
        args = self.args
        names = [
            f"{int(time.time() * 1000) + i}{rng.randrange(1000):03d}.jpg"
            for i in range(args.photos)
        ]
        household, version, lent = self.households.take(rng)
        xml = visit_xml(household, version, names, rng, update=args.entity_update)
        if args.distinct_photos:
            files = [(name, distinct_jpeg(self.photo, rng)) for name in names]
        else:
            files = [(name, unique_jpeg(self.photo)) for name in names]
        body = multipart(xml, files, boundary)
        status = stats.last_status = 0
        try:
            self._post(client, body, boundary, stats)
            status = stats.last_status
        finally:
            self.households.give_back(household, lent, status == 201 and args.entity_update)

    def _post(self, client: Client, body: list[bytes], boundary: str, stats: Stats) -> None:
        args = self.args
        t0 = time.perf_counter()
        if args.head:
            status, _ = client.request("HEAD", "submission")
            stats.head_statuses[status] += 1
        t1 = time.perf_counter()
        status, answer = client.request(
            "POST",
            "submission",
            body=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        t2 = time.perf_counter()
        stats.latencies.append(t2 - t1)
        if args.head:
            stats.head_latencies.append(t2 - t0)  # HEAD + POST: one submission as Collect sends it
        stats.statuses[status] += 1
        stats.last_status = status
        stats.sent_bytes += sum(len(b) for b in body)
        if status != 201 or b"OpenRosaResponse" not in answer:
            if len(stats.bad_bodies) < 5:
                stats.bad_bodies.append(f"{status}: {answer[:300].decode('utf-8', 'replace')}")

    def run(self) -> dict:
        args = self.args
        if args.scenario in GETS:
            self.endpoint = download_endpoint(args.url, args.scenario)
        if args.scenario == "submit":
            found = synthetic_households(args) if args.no_list else ensure_households(args)
            self.households = Households(found, args.reuse_after)
            if args.photos and args.distinct_photos:
                self.photo = padding(args.photo_bytes, seed=1)
            elif args.photos:
                self.photo = make_jpeg(args.photo_bytes, seed=1)
        stats = [Stats() for _ in range(args.concurrency)]
        warm = [Stats() for _ in range(args.concurrency)]
        threads = [
            threading.Thread(target=self.worker, args=(i, stats[i], warm[i]), daemon=True)
            for i in range(args.concurrency)
        ]
        sampler = Sampler(args.server_pid, args.database, task_pids=args.task_pids)
        for t in threads:
            t.start()
        time.sleep(args.warmup)
        sampler.start()
        self.measuring = True
        started = time.perf_counter()
        if args.requests is None:
            time.sleep(args.duration)
            self.measuring = False
            self.stop.set()
            for t in threads:
                t.join()
        else:
            for t in threads:
                t.join()
        elapsed = time.perf_counter() - started
        resources = sampler.stop()
        self.stop.set()
        result = self.report(stats, warm, elapsed, resources)
        if args.scenario == "submit" and args.entity_update and not args.no_list:
            # Did every accepted visit update its household? Compare with the server's list.
            result["entity_mismatches"] = self.mismatches(args)
            result["failures"] += result["entity_mismatches"]
        return result

    def mismatches(self, args: argparse.Namespace) -> int:
        """Households whose server version differs from the accepted updates, after waiting up
        to --settle seconds for the list to catch up."""
        deadline = time.monotonic() + args.settle
        while True:
            server = household_list(args.url)
            wrong = sum(1 for h, v in self.households.versions.items() if server.get(h) != v)
            if wrong == 0 or time.monotonic() >= deadline:
                return wrong
            time.sleep(0.5)

    def report(self, stats: list[Stats], warm: list[Stats], elapsed: float, res: dict) -> dict:
        args = self.args
        lat = sorted(x for s in stats for x in s.latencies)
        both = sorted(x for s in stats for x in s.head_latencies)
        statuses = sum((s.statuses for s in stats), Counter())
        head_statuses = sum((s.head_statuses for s in stats), Counter())
        errors = sum((s.errors for s in stats), Counter())
        warm_statuses = sum((s.statuses for s in warm), Counter())
        sent = sum(s.sent_bytes for s in stats)
        ok_code = 201 if args.scenario == "submit" else 200
        failures = sum(n for code, n in statuses.items() if code != ok_code) + sum(errors.values())
        failures += sum(n for code, n in head_statuses.items() if code != 204)
        warm_failures = sum(n for code, n in warm_statuses.items() if code != ok_code)
        return {
            "scenario": args.scenario,
            "concurrency": args.concurrency,
            "photos": args.photos if args.scenario == "submit" else 0,
            "photo_bytes": args.photo_bytes if args.scenario == "submit" and args.photos else 0,
            "head": bool(args.head) if args.scenario == "submit" else False,
            "entity_update": bool(args.entity_update) if args.scenario == "submit" else False,
            "households": len(self.households.versions),
            "requests": len(lat),
            "seconds": elapsed,
            "throughput": len(lat) / elapsed,
            "upload_mb_s": sent / elapsed / 1e6,
            **{f"p{q}_ms": _pct(lat, q) for q in (50, 95, 99)},
            "max_ms": lat[-1] * 1000 if lat else None,
            **({f"head_post_p{q}_ms": _pct(both, q) for q in (50, 95, 99)} if both else {}),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "head_statuses": {str(k): v for k, v in sorted(head_statuses.items())},
            "exceptions": dict(errors),
            "failures": failures,
            "warmup_requests": sum(warm_statuses.values()),
            "warmup_failures": warm_failures,
            "bad_bodies": [b for s in stats + warm for b in s.bad_bodies][:5],
            **res,
        }


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    # Nearest-rank percentile, in milliseconds.
    k = max(0, min(len(values) - 1, round(q / 100 * len(values) + 0.5) - 1))
    return values[k] * 1000


# ---------------------------------------------------------------- setup: the household list


def household_list(url: str) -> dict[str, int]:
    """{household id: version} from the hh_visit entity list, found as Collect finds it:
    formList -> manifestUrl -> the media file's downloadUrl."""
    import csv
    import re

    client = Client(url, 60)
    try:

        def get(absolute: str) -> bytes:
            parts = urlsplit(absolute.replace("&amp;", "&"))
            status, body = client.request("GET", parts.path[len(client.path) + 1 :])
            if status != 200:
                raise SystemExit(f"GET {parts.path} answered {status}")
            return body

        status, body = client.request("GET", "formList")
        if status != 200:
            raise SystemExit(f"formList answered {status}: {body[:200]!r}")
        entry = re.search(
            r"<formID>hh_visit</formID>.*?<manifestUrl>(.*?)</manifestUrl>", body.decode(), re.S
        )
        if entry is None:
            raise SystemExit("hh_visit (with a manifest) is not in the form list")
        manifest = get(entry.group(1)).decode()
        media = re.search(r"<downloadUrl>(.*?)</downloadUrl>", manifest)
        if media is None:
            raise SystemExit("the hh_visit manifest lists no households.csv")
        rows = csv.DictReader(io.StringIO(get(media.group(1)).decode("utf-8")))
        return {row["name"]: int(row["__version"] or 1) for row in rows}
    finally:
        client.close()


# GET scenarios: what Collect downloads, found as Collect finds it (formList, then its URLs).
GETS = ("formlist", "formxml", "manifest")


def download_endpoint(url: str, scenario: str) -> str:
    """The endpoint (below the server URL) of the hh_visit form's XML or manifest."""
    if scenario == "formlist":
        return "formList"
    client = Client(url, 60)
    try:
        status, body = client.request("GET", "formList")
    finally:
        client.close()
    tag = {"formxml": "downloadUrl", "manifest": "manifestUrl"}[scenario]
    entry = re.search(rf"<formID>{FORM_ID}</formID>.*?<{tag}>(.*?)</{tag}>", body.decode(), re.S)
    if status != 200 or entry is None:
        raise SystemExit(f"formList ({status}) has no {tag} for {FORM_ID}")
    return urlsplit(entry.group(1)).path[len(client.path) + 1 :]


def synthetic_households(args: argparse.Namespace) -> dict[str, int]:
    """Household ids made up here, for a server without a list (the ceiling app)."""
    rng = random.Random(2)
    return {str(uuid.UUID(int=rng.getrandbits(128))): 1 for _ in range(max(args.households, 1))}


def ensure_households(args: argparse.Namespace) -> dict[str, int]:
    """At least --households households in the worker's list: register the missing ones with
    hh_registration submissions (not measured). Returns {id: version}."""
    versions = household_list(args.url)
    missing = args.households - len(versions)
    if missing > 0:
        t0 = time.perf_counter()
        counter = iter(range(missing))
        lock = threading.Lock()
        failures: list[str] = []

        def register(worker: int) -> None:
            client = Client(args.url, args.timeout)
            rng = random.Random(worker)
            boundary = f"----bench{uuid.uuid4().hex}"
            while True:
                with lock:
                    index = next(counter, None)
                if index is None:
                    break
                body = multipart(registration_xml(index, rng), [], boundary)
                status, answer = client.request(
                    "POST",
                    "submission",
                    body=body,
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                )
                if status != 201:
                    failures.append(f"{status}: {answer[:200]!r}")
            client.close()

        threads = [threading.Thread(target=register, args=(i,)) for i in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if failures:
            raise SystemExit(f"registering households failed: {failures[:3]}")
        versions = household_list(args.url)
        deadline = time.monotonic() + args.settle
        while len(versions) < args.households and time.monotonic() < deadline:
            time.sleep(0.5)  # registrations are still being processed
            versions = household_list(args.url)
        print(
            f"registered {missing} households in {time.perf_counter() - t0:.1f} s "
            f"({len(versions)} in the list)",
            file=sys.stderr,
        )
    if not versions:
        raise SystemExit("the worker's household list is empty")
    return versions


# ---------------------------------------------------------------- the single large upload


def upload_check(args: argparse.Namespace) -> dict:
    """One POST with one large attachment; the server's memory before, during and after."""
    sampler = Sampler(args.server_pid, args.database, interval=0.02, task_pids=args.task_pids)
    photo = make_jpeg(args.photo_bytes, seed=2)
    name = f"{int(time.time() * 1000)}.jpg"
    rng = random.Random(3)
    household, version = next(iter(household_list(args.url).items()))
    xml = visit_xml(household, version, [name], rng, update=False)
    boundary = f"----bench{uuid.uuid4().hex}"
    body = multipart(xml, [(name, unique_jpeg(photo))], boundary)
    client = Client(args.url, args.timeout)
    # Touch every worker once (a HEAD each) so the baseline is a warm process.
    for _ in range(8):
        client.request("HEAD", "submission")
        client.close()
    time.sleep(0.5)
    hwm_before = sampler.workers_hwm()
    rss_before = sampler.workers_rss()
    sampler.start()
    t0 = time.perf_counter()
    status, answer = client.request("HEAD", "submission")
    status, answer = client.request(
        "POST",
        "submission",
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    seconds = time.perf_counter() - t0
    time.sleep(1.0)  # let the post-commit task (image check) finish and memory settle
    res = sampler.stop()
    client.close()
    hwm_after = sampler.workers_hwm()
    rss_after = sampler.workers_rss()
    hwm_growth = max((hwm_after.get(p, 0) - hwm_before.get(p, 0) for p in hwm_after), default=0)
    return {
        "scenario": "upload",
        "status": status,
        "failures": 0 if status == 201 else 1,
        "answer": answer[:300].decode("utf-8", "replace"),
        "attachment_mb": len(photo) / 1e6,
        "body_mb": sum(len(b) for b in body) / 1e6,
        "seconds": seconds,
        "server_rss_mib_before": rss_before / 2**20,
        "server_rss_mib_peak": res["server_rss_mib_peak"],
        "server_rss_mib_after": rss_after / 2**20,
        "rss_growth_mib": (rss_after - rss_before) / 2**20,
        "peak_growth_mib": res["server_rss_mib_peak"] - rss_before / 2**20,
        "worker_hwm_growth_mib": hwm_growth / 2**20,
    }


# ---------------------------------------------------------------- CLI


def cpu_probe() -> float:
    """Nanoseconds for a fixed piece of pure Python (best of 5). On a VM the same code runs up to
    twice as slowly from one minute to the next (other tenants of the host); the probe taken
    before and after a measurement tells a slow machine from slow code."""
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(20_000):
            sum(range(100))
        best = min(best, time.perf_counter() - t0)
    return best / 20_000 * 1e9


def wait_idle(limit: float, busy_below: float = 0.10, quiet_for: float = 3.0) -> float:
    """Wait until the whole machine has been under `busy_below` busy for `quiet_for` seconds
    (other jobs on a shared machine skew every figure); give up after `limit` seconds."""
    start = time.monotonic()
    quiet_since = start
    prev = _system_ticks()
    while time.monotonic() - start < limit:
        time.sleep(0.5)
        now = _system_ticks()
        busy = (now[0] - prev[0]) / max(1, now[1] - prev[1])
        prev = now
        if busy >= busy_below:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_for:
            break
    else:
        print(
            f"warning: the machine was still busy after {limit:.0f} s; measuring anyway",
            file=sys.stderr,
        )
    return time.monotonic() - start


def print_report(r: dict) -> None:
    if r["scenario"] == "upload":
        print(
            f"upload {r['attachment_mb']:.1f} MB attachment: status {r['status']} in "
            f"{r['seconds']:.2f} s; server RSS {r['server_rss_mib_before']:.1f} -> peak "
            f"{r['server_rss_mib_peak']:.1f} -> after {r['server_rss_mib_after']:.1f} MiB "
            f"(growth {r['rss_growth_mib']:+.1f}, peak {r['peak_growth_mib']:+.1f}, "
            f"worker VmHWM {r['worker_hwm_growth_mib']:+.1f} MiB)"
        )
        return
    what = r["scenario"]
    if what == "submit":
        what += f" photos={r['photos']}x{r['photo_bytes']}B head={'yes' if r['head'] else 'no'}"
    print(
        f"{what} c={r['concurrency']}: {r['requests']} requests in {r['seconds']:.1f} s = "
        f"{r['throughput']:.1f}/s"
        + (f" ({r['upload_mb_s']:.1f} MB/s up)" if r["upload_mb_s"] > 1 else "")
    )
    print(
        f"  latency ms: p50 {r['p50_ms']:.1f}  p95 {r['p95_ms']:.1f}  p99 {r['p99_ms']:.1f}  "
        f"max {r['max_ms']:.1f}"
    )
    if "head_post_p50_ms" in r:
        print(
            f"  HEAD+POST ms: p50 {r['head_post_p50_ms']:.1f}  p95 {r['head_post_p95_ms']:.1f}  "
            f"p99 {r['head_post_p99_ms']:.1f}"
        )
    print(
        f"  statuses {r['statuses']}  HEAD {r['head_statuses']}  exceptions {r['exceptions']}"
        f"  failures {r['failures']} (warm-up: {r['warmup_requests']} requests, "
        f"{r['warmup_failures']} failed)"
    )
    print(
        f"  CPU % of one core: app server {r['server_cpu_pct']:.0f}, postgres "
        f"{r['postgres_cpu_pct']:.0f}, load generator {r['loadgen_cpu_pct']:.0f}, task workers "
        f"{r.get('tasks_cpu_pct', 0):.0f}, other "
        f"{r['other_cpu_pct']:.0f} (machine {r['system_busy_pct']:.0f} % busy); "
        f"server RSS MiB {r['server_rss_mib_start']:.1f} -> peak {r['server_rss_mib_peak']:.1f}"
        f" -> {r['server_rss_mib_end']:.1f}"
    )
    if "entity_mismatches" in r:
        print(
            f"  households: {r['households']}; versions not as expected after the run: "
            f"{r['entity_mismatches']}"
        )
    for body in r["bad_bodies"]:
        print(f"  unexpected answer: {body}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "url", help="Collect server URL: http://HOST:PORT/key/<token>/projects/demo"
    )
    parser.add_argument("scenario", choices=["submit", *GETS, "upload"])
    parser.add_argument("-c", "--concurrency", type=int, default=8)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-d", "--duration", type=float, default=20.0, help="seconds to measure")
    group.add_argument("-n", "--requests", type=int, help="requests to measure (instead of -d)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds not counted")
    parser.add_argument(
        "--photos",
        type=int,
        default=0,
        choices=[0, 1, 2, 3],
        help="JPEG attachments (house_photo, housing/defect_photo, hh_sig)",
    )
    parser.add_argument("--photo-bytes", type=int, default=1_000_000)
    parser.add_argument(
        "--distinct-photos",
        action="store_true",
        help="every photo a different (small) picture padded to --photo-bytes, instead of one "
        "noise picture made unique by a comment (which the duplicate check matches every time)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0,
        help="requests (submissions) per second, spread evenly over the workers (0: as fast "
        "as the server answers)",
    )
    parser.add_argument(
        "--households",
        type=int,
        default=500,
        help="register households until the worker's list has this many "
        "(each visit updates one, based on its current version)",
    )
    parser.add_argument(
        "--reuse-after",
        type=float,
        default=0.0,
        help="seconds a household rests after a visit before the next one (with post-processing "
        "on a worker, the time for its update to reach the list; 0: at once)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=0.0,
        help="seconds to wait for the server's list to catch up (post-processing on a worker) "
        "before comparing it with the accepted updates",
    )
    parser.add_argument(
        "--no-entity-update",
        dest="entity_update",
        action="store_false",
        help="visits that do not update their household (update=false)",
    )
    parser.add_argument(
        "--no-head",
        dest="head",
        action="store_false",
        help="POST without the HEAD Collect sends first",
    )
    parser.add_argument(
        "--no-list",
        action="store_true",
        help="households made up here, no list read or compared (a server without one: "
        "bench/ceiling.py)",
    )
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument(
        "--server-pid", type=int, help="app server's main process: sample its workers' RSS/CPU"
    )
    parser.add_argument(
        "--task-pids",
        type=lambda text: [int(pid) for pid in text.split(",") if pid],
        default=[],
        help="comma-separated pids of the task workers: their CPU is reported, not 'other'",
    )
    parser.add_argument(
        "--database",
        default=None,
        help="count only PostgreSQL backends of this database (and shared ones)",
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to this long for the machine to be idle (<10%% busy)",
    )
    parser.add_argument("--json", help="append the result as one JSON line to this file")
    parser.add_argument("--label", default="", help="stored with the JSON result")
    args = parser.parse_args(argv)
    if args.scenario == "upload" and args.photo_bytes == 1_000_000:
        args.photo_bytes = 50_000_000
    waited = wait_idle(args.wait_idle) if args.wait_idle else None
    probe_before = cpu_probe()
    result = upload_check(args) if args.scenario == "upload" else Run(args).run()
    result["cpu_probe_ns"] = [round(probe_before), round(cpu_probe())]
    result["label"] = args.label
    result["waited_for_idle_s"] = waited
    result["time"] = datetime.now(UTC).isoformat(timespec="seconds")
    print_report(result)
    print(
        f"  CPU probe (ns, lower is faster; about 780 on this machine at its fastest): "
        f"{result['cpu_probe_ns'][0]} before, {result['cpu_probe_ns'][1]} after"
    )
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(result) + "\n")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
