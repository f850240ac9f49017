#!/usr/bin/env python3
"""The thin ingest ceiling: what this machine can take in when a submission costs nothing but its
bytes. Not part of the product; bench/side_by_side.sh measures the project against it.

HEAD anything: 204 with the OpenRosa headers. POST: the multipart body parsed as a stream
(werkzeug), every file part written to a file and flushed to disk (fsync, as the project does
before its 201), one row in PostgreSQL holding the XML, then 201 with an OpenRosa envelope. No
authentication, no form, no XML parsing. Served by granian as the project is (two processes of
four threads).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ceiling CEILING_DIR=/tmp/c \\
        python bench/ceiling.py 127.0.0.1:8766
"""

import os
import sys
import threading
import uuid
from pathlib import Path

import psycopg
from werkzeug.formparser import parse_form_data

HEADERS = [
    ("Content-Type", "text/xml; charset=utf-8"),
    ("X-OpenRosa-Version", "1.0"),
    ("X-OpenRosa-Accept-Content-Length", "100000000"),
]
CREATED = (
    b'<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
    b'<message nature="">Submission received.</message></OpenRosaResponse>'
)
FOLDER = Path(os.environ.get("CEILING_DIR", "/tmp/ceiling"))
_local = threading.local()


def _connection() -> psycopg.Connection:
    if getattr(_local, "connection", None) is None:
        _local.connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    return _local.connection


def _store(part: object) -> None:
    with open(FOLDER / uuid.uuid4().hex, "wb") as out:
        part.save(out)  # type: ignore[attr-defined]  # werkzeug's FileStorage
        out.flush()
        os.fsync(out.fileno())


def application(environ: dict, start_response) -> list[bytes]:  # noqa: ANN001
    if environ["REQUEST_METHOD"] != "POST":
        start_response("204 No Content", HEADERS[1:])
        return []
    _stream, _form, files = parse_form_data(environ)
    xml = files.get("xml_submission_file")
    if xml is None:
        start_response("400 Bad Request", HEADERS)
        return [b"no xml_submission_file"]
    photos = [part for name, part in files.items(multi=True) if name != "xml_submission_file"]
    for part in photos:
        _store(part)
    _connection().execute(
        "INSERT INTO ceiling_submission (xml, files, received) VALUES (%s, %s, now())",
        (xml.read().decode("utf-8", "replace"), len(photos)),
    )
    start_response("201 Created", HEADERS)
    return [CREATED]


def main() -> None:
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces

    FOLDER.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS ceiling_submission "
            "(id bigserial PRIMARY KEY, xml text, files integer, received timestamptz)"
        )
    host, _, port = (sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8766").rpartition(":")
    Granian(
        "ceiling:application",
        address=host,
        port=int(port),
        interface=Interfaces.WSGI,
        http=HTTPModes.http1,
        websockets=False,
        workers=int(os.environ.get("APP_WORKERS", "2")),
        blocking_threads=int(os.environ.get("APP_THREADS", "4")),
        working_dir=Path(__file__).resolve().parent,
        log_access=False,
    ).serve()


if __name__ == "__main__":
    main()
