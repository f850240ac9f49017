"""Faults of the database, caused from a connection of the suite's own (psycopg, outside
Django, so that it survives what it does to the others)."""

from __future__ import annotations

import threading

import psycopg
from django.conf import settings
from psycopg import sql


def _connect() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def terminate_others() -> int:
    """End every other connection to the suite's database, as a failover or an administrator
    would; return how many."""
    with _connect() as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def hold_lock(table: str, seconds: float, taken: threading.Event) -> None:
    """Hold an ACCESS EXCLUSIVE lock on the table (no one reads or writes it) for `seconds`,
    as a long migration or a stray `LOCK TABLE` in a psql session would."""
    with _connect() as conn, conn.transaction():
        conn.execute(
            sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(table))
        )
        taken.set()
        threading.Event().wait(seconds)
