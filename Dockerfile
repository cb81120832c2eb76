# JTVC web image: slim Python, non-root, static files collected at build, served by gunicorn.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

RUN groupadd --system jtvc && useradd --system --gid jtvc --home-dir /app jtvc

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p jtvc articles media_app && touch jtvc/__init__.py articles/__init__.py media_app/__init__.py \
    && pip install . && pip uninstall -y jtvc

COPY . .
RUN pip install --no-deps . \
    && DJANGO_SECRET_KEY=collectstatic-only STATIC_ROOT=/app/staticfiles \
       python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/media && chown -R jtvc:jtvc /app/media

USER jtvc
EXPOSE 8000
ENV MEDIA_ROOT=/app/media STATIC_ROOT=/app/staticfiles

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"

CMD ["gunicorn", "jtvc.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
