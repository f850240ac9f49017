"""gunicorn settings for the app (docs/deployment.md). Every value can be changed through the
environment: GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_BIND, GUNICORN_TIMEOUT.

    gunicorn -c docker/gunicorn.conf.py backend.wsgi:application
"""

import os

# Threaded workers (gthread), one process per core with four threads each: they keep nginx's
# upstream connections alive (a sync worker closes every connection after its response), which
# the OpenRosa benchmark measured at about a quarter less CPU per form list request
# (docs/performance.md). nginx buffers whole uploads and responses, so a slow phone never holds
# a thread.
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# ODK Collect gives up after a 60 s read timeout. A request still running after 50 s cannot be
# answered in time: stop it so the phone's retry finds a free worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "50"))
graceful_timeout = 30
# nginx keeps connections to us alive for 65 s at most; close idle ones a little later.
keepalive = 75

# Restart workers now and then (with jitter so they do not restart together): bounds any slow
# growth of memory in a long-running process.
max_requests = 2000
max_requests_jitter = 200

# The heartbeat file lives in memory, not on a possibly slow container disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  (gunicorn's advice)

# Request bodies: gunicorn sets no limit of its own. nginx refuses bodies above
# client_max_body_size, and the app answers Collect with an OpenRosa 413 above
# OPENROSA_MAX_SUBMISSION_BYTES (announced in X-OpenRosa-Accept-Content-Length).
# The request line limit must hold Collect's longest URLs (device token + form id + names).
limit_request_line = 8190
# X-Forwarded-Proto and X-Forwarded-For are set by nginx; trust them only from nginx's address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access lines go to stdout next to the app's (JSON) log lines; they carry the request id.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s ua="%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
