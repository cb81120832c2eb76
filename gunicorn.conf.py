"""gunicorn settings, read from the environment (gunicorn loads this file from the working
directory by itself; command-line options still win)."""

import os

bind = f"{os.environ.get('JTVC_BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# A restarted container must not inherit a half-dead worker pool from a slow request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# The control socket (gunicornc) lives in XDG_RUNTIME_DIR when it is set: the image sets it
# to a folder its user owns (the home folder /app is not writable, so the default failed).
