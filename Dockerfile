# JTVC image: slim Python, non-root, static files collected at build. One image, three roles
# (see docker-compose.yml): `gunicorn` (web), `manage.py db_worker` (worker), `manage.py
# migrate` (one-shot). Where no registry is reachable, scripts/compose-smoke.sh builds a
# local stand-in for the base image first.
FROM python:3.12-slim-bookworm

# Metadata first: these steps stay cached when the code changes (each step of the classic
# builder copies the whole file system on storage drivers like vfs).
# XDG_RUNTIME_DIR: where gunicorn puts its control socket (the home folder is read-only).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ROOT=/app/media \
    STATIC_ROOT=/app/staticfiles \
    PORT=8000 \
    XDG_RUNTIME_DIR=/run/jtvc
EXPOSE 8000
# Sends a Host header from DJANGO_ALLOWED_HOSTS, so it passes with production settings.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-m", "jtvc.healthcheck"]
# Bind address, workers and logs come from gunicorn.conf.py (PORT, WEB_CONCURRENCY).
CMD ["gunicorn", "jtvc.wsgi:application"]

WORKDIR /app
RUN groupadd --system jtvc && useradd --system --gid jtvc --home-dir /app jtvc \
    && mkdir -p /run/jtvc && chown jtvc:jtvc /run/jtvc && chmod 700 /run/jtvc

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p jtvc articles media_app && touch jtvc/__init__.py articles/__init__.py media_app/__init__.py \
    && pip install . && pip uninstall -y jtvc

COPY . .
RUN pip install --no-deps . \
    && DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/media && chown -R jtvc:jtvc /app/media

USER jtvc
