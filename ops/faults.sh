#!/usr/bin/env bash
# The fault suite (docs/reliability.md#how-to-run-the-fault-suite), run by .ci/run: the production
# topology without Docker, as ops/smoke.sh runs it (granian via docker/serve.py with 2 processes,
# a merge worker and an evidence worker, run_periodic; DJANGO_ENV=production over the machine's
# PostgreSQL and Redis, on loopback), put through faults by `python -m ops.faults`: kill -9, a full
# media disk, terminated database connections, a locked table, bursts of one instanceID, extreme
# values. Each case prints its counts; the script exits non-zero when a promise was broken.
#
# PostgreSQL: a database of its own (FAULTS_DB, default faults), dropped at the end. Redis: a
# database number of its own (FAULTS_REDIS_DB, default 8), emptied before and after. Media
# (DATA_DIR): a tmpfs of FAULTS_MEDIA_MB (default 512) when run as root, so that the case `disk`
# can fill it; without root that case is skipped.
#
#   ops/faults.sh                        # every case, about 7 minutes on 2 cores
#   ops/faults.sh --cases kills,burst    # some cases (registrations first: the others visit them)
#   KEEP=1 ops/faults.sh                 # keep the folder with the process logs
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
FAULTS_DB=${FAULTS_DB:-faults}
FAULTS_REDIS_DB=${FAULTS_REDIS_DB:-8}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

WORK=$(mktemp -d "${TMPDIR:-/tmp}/faults.XXXXXX")
DATA="$WORK/data"
mkdir -p "$DATA"
MEDIA_TMPFS=()
if [[ $(id -u) == 0 ]] && mount -t tmpfs -o "size=${FAULTS_MEDIA_MB:-512}m,mode=755" faults-media "$DATA"; then
    MEDIA_TMPFS=(--media-tmpfs)
fi

cleanup() {
    local status=$?
    # The suite stops what it started; these are left only if it was killed itself.
    for pidfile in "$WORK"/*.pid; do
        [[ -e "$pidfile" ]] && kill -KILL -- "-$(cat "$pidfile")" 2>/dev/null || true
    done
    if mountpoint -q "$DATA"; then umount "$DATA" || umount -l "$DATA"; fi
    dropdb --if-exists "$FAULTS_DB" 2>/dev/null || true
    redis-cli -h 127.0.0.1 -p 6379 -n "$FAULTS_REDIS_DB" flushdb > /dev/null 2>&1 || true
    if [[ -n "${KEEP:-}" ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT INT TERM

APP_PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DJANGO_ENV=production
export DJANGO_SETTINGS_MODULE=backend.settings
export SECRET_KEY="faults-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL="https://127.0.0.1:$APP_PORT"
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$FAULTS_DB"
export DATA_DIR="$DATA"
export CACHE_LOCATION="redis://127.0.0.1:6379/$FAULTS_REDIS_DB"
export FORMS_ODK_VALIDATE=off
export APP_WORKERS=2
export APP_BIND="127.0.0.1:$APP_PORT"
# A killed task worker's tasks go back to the queue once it has been silent this long; the
# production default (60 s) would make the case `kills` wait longer than it needs to.
export TASK_WORKER_BEAT_SECONDS=3
export TASK_WORKER_LOST_SECONDS=15

echo "== database $FAULTS_DB, Redis database $FAULTS_REDIS_DB, files in $WORK"
dropdb --if-exists "$FAULTS_DB"
createdb "$FAULTS_DB"
redis-cli -h 127.0.0.1 -p 6379 -n "$FAULTS_REDIS_DB" flushdb > /dev/null
cd "$ROOT"
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py compile_translations > /dev/null
"$PY" manage.py demo > "$WORK/demo.log"

"$PY" -m ops.faults --server "http://127.0.0.1:$APP_PORT/projects/demo" --work "$WORK" \
    "${MEDIA_TMPFS[@]}" "$@"
