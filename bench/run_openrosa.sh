#!/usr/bin/env bash
# OpenRosa load benchmark: a fresh PostgreSQL database, the demo project, the app server as in
# production (docker/serve.py: granian), then the scenarios of bench/openrosa_load.py. Results go to $OUT/results.jsonl, a
# summary to stdout (bench/summarize.py). Everything started here is stopped on exit.
#
#   bench/run_openrosa.sh                       # the full run, about 3 minutes on an idle machine
#   REF=HEAD bench/run_openrosa.sh              # the committed code, not the working tree
#   WORKERS=3 THREADS=2 bench/run_openrosa.sh   # three app processes of two threads each
#   REF=HEAD PATCH=bench/patches/99-floor-experiment.patch bench/run_openrosa.sh   # a proposed change
#   DURATION=5 WAIT_IDLE=0 bench/run_openrosa.sh                             # a quick check
#
# Environment:
#   PORT (8765)  WORKERS (2: app processes)  THREADS (4: threads running the app in each, as
#     docker/serve.py runs them)
#   TASKS (inline): "worker" runs post-processing as production does, on separate
#     `manage.py db_worker` processes over the database queues, with the app processes sharing
#     the machine's Redis as their cache; the submit scenarios then also report the processing
#     lag (bench/processing_lag.py): received -> household merged, and received -> evidence
#     checks done. Photos are then distinct small pictures padded to 1 MB (--distinct-photos)
#   LAG (1): 0 skips that lag report, and the wait for the queues to drain that it includes:
#     for comparing intake alone, e.g. two application servers (SCENARIOS=submit, one scenario
#     per run, as the queues' backlog would otherwise load the next one)
#   WORKER_QUEUES ("default default,evidence"): one db_worker per word, serving those queues
#     (docs/deployment.md#task-workers: one for the merges alone, one for the evidence checks
#     that also takes merges first when they wait)
#   RATE (0 = as fast as the server answers): submissions per second for the submit scenarios
#   EVIDENCE_PRIORITY (idle): how the worker that checks evidence yields the CPU: "idle" runs it
#     under the SCHED_IDLE policy (`chrt --idle 0`: only on CPU nobody else wants), as
#     docs/deployment.md runs it; a number runs it at that `nice` level instead
#   DURATION seconds measured per scenario (20)  WARMUP seconds not counted (3)
#   SCENARIOS ("formlist submit photos upload")
#   BENCH_DB (bench, dropped and created; a parallel run uses its own, e.g. BENCH_DB=lag_bench)  PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres)
#   OUT (bench/results/<timestamp>)
#   WAIT_IDLE seconds to wait for a quiet machine before each scenario (120; 0 = never)
#   MAX_OTHER (20), RETRY_DISTURBED (3): a measurement during which other processes used more
#     than MAX_OTHER % of one core is repeated, up to RETRY_DISTURBED times; summarize.py leaves
#     such measurements out
#   REF: run the server from `git archive REF` instead of the working tree (reproducible while
#     the tree changes)
#   PATCH: patch files (space-separated) applied with `patch -p1` to that export, to measure a
#     proposed server change without touching the repository (bench/patches/)
#   APP_DIR: run the server from this source tree instead (ignored when REF is set)
#   EXTRA_ENV: NAME=value words for the server only (experiments, e.g. LOG_LEVEL=WARNING)
#   SERVER (granian): "gunicorn" serves the same WSGI app with gunicorn (not a dependency:
#     `.venv/bin/pip install gunicorn` first; gthread workers when THREADS > 1), to compare
#     application servers (docs/performance.md)
#   LABEL: added to the result labels   KEEP_LOG: keep $OUT/server.log (else checked, removed)
#
# Post-processing (field extraction, photo check, the household update and its flags) runs
# in-process right after each commit in this setup (the default TASKS_BACKEND, django_tasks'
# ImmediateBackend): it is on the request path and in every figure.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
APP_DIR=${APP_DIR:-$ROOT}
PORT=${PORT:-8765}
WORKERS=${WORKERS:-2}
THREADS=${THREADS:-4}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
WAIT_IDLE=${WAIT_IDLE:-120}
BENCH_DB=${BENCH_DB:-bench}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
SCENARIOS=${SCENARIOS:-"formlist submit photos upload"}
MAX_OTHER=${MAX_OTHER:-20}
RETRY_DISTURBED=${RETRY_DISTURBED:-3}
OUT=${OUT:-"$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)"}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS="$OUT/results.jsonl"
DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/openrosa-bench.XXXXXX")
EXPORT_DIR=""
SERVER_PID=""
WORKER_PIDS=()
TASKS=${TASKS:-inline}
WORKER_QUEUES=${WORKER_QUEUES:-"default default,evidence"}
RATE=${RATE:-0}
EVIDENCE_PRIORITY=${EVIDENCE_PRIORITY:-idle}

cleanup() {
    local status=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    for pid in "${WORKER_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$DATA_DIR"
    [[ -z "$EXPORT_DIR" ]] || rm -rf "$EXPORT_DIR"
    exit "$status"
}
trap cleanup EXIT INT TERM

export DJANGO_SETTINGS_MODULE=backend.settings
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB"
export DEBUG=0
export SECRET_KEY="bench-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS='*'
export SITE_URL="http://127.0.0.1:$PORT"
export DATABASE_CONN_MAX_AGE=600
export FORMS_ODK_VALIDATE=off
export DATA_DIR
if [[ "$TASKS" == worker ]]; then
    export TASKS_BACKEND=django_tasks_db.DatabaseBackend
    export CACHE_BACKEND=backend.core.redis_cache.RedisCache
    export CACHE_LOCATION=${CACHE_LOCATION:-redis://127.0.0.1:6379/6}
    redis-cli -u "$CACHE_LOCATION" flushdb > /dev/null
fi

if [[ -n "${REF:-}" ]]; then
    EXPORT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/openrosa-bench-src.XXXXXX")
    git -C "$ROOT" archive "$REF" | tar -x -C "$EXPORT_DIR"
    for patch_file in ${PATCH:-}; do patch -s -p1 -d "$EXPORT_DIR" < "$patch_file"; done
    APP_DIR=$EXPORT_DIR
    (cd "$APP_DIR" && "$PY" manage.py compile_translations > /dev/null)
fi
cd "$APP_DIR"
echo "== server code in $APP_DIR (${REF:-working tree} $(git -C "$ROOT" rev-parse --short "${REF:-HEAD}")${PATCH:+ + $PATCH})"
echo "== database $BENCH_DB (dropped and created), data in $DATA_DIR"
dropdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" --if-exists "$BENCH_DB"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$BENCH_DB"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py demo > "$OUT/demo.log"
URL=$("$PY" manage.py device_qr --user worker --project demo | sed -n 's/^ODK Collect server URL: //p')
[[ -n "$URL" ]] || { echo "device_qr printed no server URL" >&2; exit 1; }

if [[ "${SERVER:-granian}" == gunicorn ]]; then
    [[ -x "$ROOT/.venv/bin/gunicorn" ]] || { echo "SERVER=gunicorn: .venv/bin/pip install gunicorn first" >&2; exit 2; }
    SERVER_CMD=("$ROOT/.venv/bin/gunicorn" backend.wsgi:application --chdir "$APP_DIR"
        --bind "127.0.0.1:$PORT" --workers "$WORKERS" --worker-tmp-dir /dev/shm --timeout 120
        --log-level warning)
    if (( THREADS > 1 )); then SERVER_CMD+=(--worker-class gthread --threads "$THREADS"); fi
else
    # As production starts the app (docs/deployment.md).
    export APP_BIND="127.0.0.1:$PORT" APP_WORKERS="$WORKERS" APP_THREADS="$THREADS" APP_LOG_LEVEL=warning
    SERVER_CMD=("$PY" "$APP_DIR/docker/serve.py")
fi
echo "== ${SERVER_CMD[*]} ${EXTRA_ENV:-}"
# shellcheck disable=SC2086  # EXTRA_ENV is a list of NAME=value words
env ${EXTRA_ENV:-} "${SERVER_CMD[@]}" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
if [[ "$TASKS" == worker ]]; then
    n=0
    for queues in $WORKER_QUEUES; do
        n=$((n + 1))
        # A worker that checks evidence runs at a lower CPU priority, as production runs it.
        priority=()
        if [[ "$queues" == *evidence* ]]; then
            case $EVIDENCE_PRIORITY in
                idle) priority=(chrt --idle 0) ;;
                *) priority=(nice -n "$EVIDENCE_PRIORITY") ;;
            esac
        fi
        echo "== ${priority[*]} db_worker --queue-name $queues"
        "${priority[@]}" "$PY" manage.py db_worker --interval 0.1 --queue-name "$queues" \
            > "$OUT/worker$n.log" 2>&1 &
        WORKER_PIDS+=($!)
    done
fi
for _ in $(seq 1 100); do
    if curl -s -o /dev/null -H 'X-OpenRosa-Version: 1.0' "$URL/formList"; then break; fi
    sleep 0.1
done
sleep 1

TASK_PIDS=$(IFS=,; echo "${WORKER_PIDS[*]}")
LOAD=("$PY" "$ROOT/bench/openrosa_load.py" "$URL" --server-pid "$SERVER_PID"
    --task-pids "$TASK_PIDS" --database "$BENCH_DB" --warmup "$WARMUP" --wait-idle "$WAIT_IDLE"
    --json "$RESULTS")
ASYNC_ARGS=()
if [[ "$TASKS" == worker ]]; then
    # A phone sees its update only after the worker merged it: households rest between visits,
    # and the list gets time to catch up before it is compared.
    ASYNC_ARGS=(--households 600 --reuse-after 5 --settle 600)
fi
RATE_ARGS=()
if [[ "$RATE" != 0 ]]; then RATE_ARGS=(--rate "$RATE"); fi
PHOTO_ARGS=(--photos 2 --photo-bytes 1000000)
if [[ "$TASKS" == worker ]]; then PHOTO_ARGS+=(--distinct-photos); fi
PATCH_NAMES=""
for patch_file in ${PATCH:-}; do PATCH_NAMES+="${PATCH_NAMES:+,}$(basename "$patch_file" .patch)"; done
RATE_LABEL=""
if [[ "$RATE" != 0 ]]; then RATE_LABEL=" rate=$RATE"; fi
CONFIG="workers=$WORKERS threads=$THREADS tasks=$TASKS$RATE_LABEL${PATCH_NAMES:+ patch=$PATCH_NAMES}${EXTRA_ENV:+ $EXTRA_ENV}${LABEL:+ $LABEL}"
failed=0
for scenario in $SCENARIOS; do
    case $scenario in
        formlist) args=(formlist -c 8 -d "$DURATION") ;;
        submit)   args=(submit -c 8 -d "$DURATION" "${RATE_ARGS[@]}" "${ASYNC_ARGS[@]}") ;;
        photos)   args=(submit -c 8 -d "$DURATION" "${PHOTO_ARGS[@]}" "${RATE_ARGS[@]}" "${ASYNC_ARGS[@]}") ;;
        upload)   args=(upload --photo-bytes 50000000) ;;
        *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
    for attempt in $(seq 1 $((RETRY_DISTURBED + 1))); do
        echo "== $scenario${attempt:+ (attempt $attempt)}"
        since=$(date -u +%Y-%m-%dT%H:%M:%S+00:00)
        "${LOAD[@]}" "${args[@]}" --label "$scenario $CONFIG" || failed=1
        if [[ "$TASKS" == worker && "${LAG:-1}" != 0 && "$scenario" =~ ^(submit|photos)$ ]]; then
            "$PY" "$ROOT/bench/processing_lag.py" --since "$since" --json "$RESULTS" \
                --label "lag $scenario $CONFIG" || failed=1
        fi
        # Another job on the machine took CPU during the measurement: measure again.
        other=$(grep -v '"scenario": "lag"' "$RESULTS" | tail -n 1 | "$PY" -c 'import json,sys; print(int(json.load(sys.stdin).get("other_cpu_pct", 0)))')
        (( other > MAX_OTHER )) || break
        echo "   (other processes used $other % of a core during this measurement)"
    done
done

errors=$(grep -c -E "ERROR|Traceback" "$OUT/server.log" || true)
echo "== server log: $errors ERROR/Traceback lines"
(( errors == 0 )) || { grep -m 20 -E "ERROR|Traceback" "$OUT/server.log"; failed=1; }
# The log holds two INFO lines per submission (django_tasks); keep it only when asked.
[[ -n "${KEEP_LOG:-}" ]] || rm -f "$OUT/server.log"
echo "== results in $RESULTS"
"$PY" "$ROOT/bench/summarize.py" --max-other "$MAX_OTHER" "$RESULTS"
exit "$failed"
