#!/usr/bin/env bash
# Smoke test of the production topology without Docker (docs/deployment.md), run by .ci/run:
# PostgreSQL (the machine's; a database of our own, dropped at the end), the app server
# (docker/serve.py: granian) with 2 processes and the production settings (DJANGO_ENV=production),
# one `task_worker`, and nginx from Debian with docker/nginx.conf (TLS with a throwaway
# certificate), all on loopback ports. Then ops/smoke_client.py submits through nginx as ODK
# Collect and checks the merge and the photo.
# Everything started here is stopped on exit.
#
#   ops/smoke.sh            # SMOKE_DB (smoke), PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres)
#   KEEP=1 ops/smoke.sh     # keep the temporary folder with the logs
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
SMOKE_DB=${SMOKE_DB:-smoke}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
PIDS=()

if ! command -v nginx > /dev/null; then
    echo "== installing nginx (Debian nginx-light)"
    # RUNLEVEL=1: the package must not start a system nginx on port 80.
    apt-get update -qq
    RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light > /dev/null
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smoke.XXXXXX")
chmod 755 "$WORK"  # nginx's workers (user nobody) read static and media files below it

cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if (( status != 0 )); then
        for log in "$WORK"/*.log; do echo "---- $log"; tail -n 40 "$log"; done
    fi
    dropdb --if-exists "$SMOKE_DB" 2>/dev/null || true
    if [[ -n "${KEEP:-}" ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
APP_PORT=$(free_port); HTTP_PORT=$(free_port); HTTPS_PORT=$(free_port)

export DJANGO_ENV=production
export DJANGO_SETTINGS_MODULE=backend.settings
export SECRET_KEY="smoke-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL="https://127.0.0.1:$HTTPS_PORT"
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$SMOKE_DB"
export DATA_DIR="$WORK/data"
export STATIC_ROOT="$WORK/static"
export MEDIA_X_ACCEL_PREFIX=/protected-media/
# The app workers share the machine's Redis as their cache (a database number of its own).
export CACHE_LOCATION="${SMOKE_CACHE_LOCATION:-redis://127.0.0.1:6379/7}"
export FORMS_ODK_VALIDATE=off
export APP_WORKERS=2
export APP_BIND="127.0.0.1:$APP_PORT"

echo "== database $SMOKE_DB, files in $WORK"
dropdb --if-exists "$SMOKE_DB"
createdb "$SMOKE_DB"
cd "$ROOT"
"$PY" manage.py check --deploy --fail-level WARNING
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py compile_translations > /dev/null
"$PY" manage.py collectstatic --no-input -v 0
"$PY" manage.py demo > "$WORK/demo.log"
"$PY" manage.py shell -c "
from backend.accounts.models import User
User.objects.create_user('outsider', password='outsider-pass-2026', is_staff=True)
" > /dev/null
SERVER=$("$PY" manage.py device_qr --user worker --project demo | sed -n 's/^ODK Collect server URL: //p')
[[ -n "$SERVER" ]] || { echo "device_qr printed no server URL" >&2; exit 1; }

echo "== certificate, nginx config (docker/nginx.conf on ports $HTTP_PORT/$HTTPS_PORT)"
mkdir -p "$WORK/certs" "$WORK/nginx" "$DATA_DIR/media"
chmod -R a+rX "$DATA_DIR"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$WORK/certs/privkey.pem" -out "$WORK/certs/fullchain.pem" 2> /dev/null
chown nobody "$WORK/nginx"
sed -e "s|error_log /dev/stderr error;|error_log $WORK/nginx-error.log error;|" \
    -e "s|access_log /dev/stdout json;|access_log $WORK/nginx-access.log json;|" \
    -e "s|server app:8000;|server 127.0.0.1:$APP_PORT;|" \
    -e "s|listen 80 default_server;|listen 127.0.0.1:$HTTP_PORT default_server;|" \
    -e "s|listen 443 ssl default_server;|listen 127.0.0.1:$HTTPS_PORT ssl default_server;|" \
    -e "s|/etc/nginx/certs/|$WORK/certs/|" \
    -e "s|/var/cache/nginx/|$WORK/nginx/|" \
    -e "s|/srv/static/|$STATIC_ROOT/|" \
    -e "s|/srv/media/|$DATA_DIR/media/|" \
    docker/nginx.conf > "$WORK/nginx.conf"
for marker in "app:8000" "listen 80 " "listen 443 " "/srv/" "/etc/nginx/certs" "/var/cache/nginx" "/dev/std"; do
    if grep -q "$marker" "$WORK/nginx.conf"; then echo "nginx.conf still has $marker" >&2; exit 1; fi
done
NGINX=(nginx -p "$WORK" -c "$WORK/nginx.conf" -g "daemon off; pid $WORK/nginx.pid;")
"${NGINX[@]}" -t -q

echo "== starting the app server (2 processes), task_worker, nginx"
"$PY" docker/serve.py > "$WORK/app.log" 2>&1 &
PIDS+=($!)
"$PY" manage.py task_worker --queue-name default,evidence --interval 0.2 --no-startup-delay > "$WORK/worker.log" 2>&1 &
PIDS+=($!)
"${NGINX[@]}" > "$WORK/nginx.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
    curl -sf -o /dev/null --cacert "$WORK/certs/fullchain.pem" "https://127.0.0.1:$HTTPS_PORT/health" && break
    sleep 0.2
done

echo "== client"
"$PY" ops/smoke_client.py --server "$SERVER" --base "https://127.0.0.1:$HTTPS_PORT" \
    --http-base "http://127.0.0.1:$HTTP_PORT" --cafile "$WORK/certs/fullchain.pem" \
    --database-url "$DATABASE_URL" --admin admin:demo-admin-2026 --outsider outsider:outsider-pass-2026

# The phone's device token reached nginx and the app in every path; no log line may hold it.
TOKEN=$(sed -n 's|.*/key/\([^/]*\)/.*|\1|p' <<< "$SERVER")
[[ -n "$TOKEN" ]] || { echo "no device token in $SERVER" >&2; exit 1; }
grep -q '/key/<redacted>/' "$WORK/nginx-access.log" || { echo "access log has no token paths" >&2; exit 1; }
if grep -l -F "$TOKEN" "$WORK"/*.log; then echo "a log holds the device token" >&2; exit 1; fi

errors=$(cat "$WORK/app.log" "$WORK/worker.log" | grep -c -E '"level": "ERROR"|Traceback' || true)
(( errors == 0 )) || { echo "server logs hold $errors errors" >&2; exit 1; }
echo "smoke test passed"
