#!/usr/bin/env bash
# Production-like local server: DEBUG off, hashed+compressed static files, gunicorn.
# For benchmarks and for seeing what production sees. Plain HTTP on loopback, so the HTTPS
# redirect is off; everything else is as in production.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
secret_file=.local-secret-key
[ -s "$secret_file" ] || { "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$secret_file"; chmod 600 "$secret_file"; }
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(cat "$secret_file")}
export DJANGO_DEBUG=0
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0
export DJANGO_SERVE_MEDIA=${DJANGO_SERVE_MEDIA:-1}
# No worker runs beside this server: tasks (renditions) run inside the request.
export JTVC_TASKS=${JTVC_TASKS:-immediate}
"$VENV/bin/python" manage.py migrate --noinput -v 0
"$VENV/bin/python" manage.py collectstatic --noinput -v 0
exec "$VENV/bin/gunicorn" jtvc.wsgi:application \
  --bind "${HOST:-127.0.0.1}:${PORT:-8000}" \
  --workers "${WORKERS:-2}" --threads "${THREADS:-1}" \
  --access-logfile "${ACCESS_LOG:--}" --log-level warning
