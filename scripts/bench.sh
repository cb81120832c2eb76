#!/usr/bin/env bash
# `make bench`: the reader site under load, with and without the page cache.
#   BENCH_ARTICLES (default 10000) articles are seeded by `manage.py seed_demo --articles N`
#   into bench.sqlite3 (git-ignored; reused while it holds enough articles), served by
#   gunicorn as scripts/serve.sh does (DEBUG off), and measured with
#   `wrk -t2 -c16 -d10s --latency` on five pages. Prints a table: req/s, p50, p99, bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
N=${BENCH_ARTICLES:-10000}
PORT=${BENCH_PORT:-8099}
DURATION=${BENCH_DURATION:-10s}
DB=${BENCH_DB:-$PWD/bench.sqlite3}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
export DATABASE_URL="sqlite:///$DB" DJANGO_DEBUG=0 JTVC_PLAIN_STATIC=0
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-only-$(printf 'x%.0s' {1..40})}
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0
export DJANGO_SERVE_MEDIA=1 DJANGO_LOG_LEVEL=WARNING
# No worker here: the demo pictures get their renditions while seeding.
export JTVC_TASKS=${JTVC_TASKS:-immediate}

"$PY" manage.py migrate --noinput -v 0
have=$("$PY" manage.py shell -v 0 -c 'from articles.models import Article; print(Article.objects.published().count())')
if [ "$have" -lt "$N" ]; then
  echo "seeding $N articles into $DB (have $have)"
  "$PY" manage.py seed_demo --articles "$N"
fi
"$PY" manage.py collectstatic --noinput -v 0

# Paths to measure: an article, a tag with articles, and a word that search will find.
read -r article tag word < <("$PY" manage.py shell -v 0 -c '
from articles.models import Article
from taggit.models import Tag
a = Article.objects.published().first()
t = Tag.objects.filter(taggit_taggeditem_items__object_id__in=Article.objects.published().values("pk")).first()
print(a.get_absolute_url() if a else "/blog/x/", f"/tag/{t.slug}/" if t else "/tag/x/", (a.title.split() or ["news"])[0] if a else "news")
')
paths=("/" "/blog/?page=2" "$article" "$tag" "/search/?q=$word")

run_server() {
  JTVC_PAGE_CACHE=$1 "$VENV/bin/gunicorn" jtvc.wsgi:application --bind "127.0.0.1:$PORT" \
    --workers "${WORKERS:-2}" --log-level warning --access-logfile /dev/null &
  server=$!
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && return; sleep 0.2; done
  echo "server did not start" >&2; kill "$server"; exit 1
}

results=()
for cache in 1 0; do
  run_server "$cache"
  for path in "${paths[@]}"; do
    url="http://127.0.0.1:$PORT$path"
    status=$(curl -s -o /tmp/bench-body.$$ -w '%{http_code}' "$url")
    bytes=$(wc -c < /tmp/bench-body.$$)
    out=$(wrk -t2 -c16 -d"$DURATION" --latency "$url")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    results+=("$(printf '%-6s %-40s %6s %10s %9s %9s %8s' "$([ "$cache" = 1 ] && echo on || echo off)" "${path:0:40}" "$status" "$rps" "$p50" "$p99" "$bytes")")
  done
  kill "$server"; wait "$server" 2>/dev/null || true
done
rm -f /tmp/bench-body.$$

echo
echo "JTVC reader site: $("$PY" manage.py shell -v 0 -c 'from articles.models import Article; print(Article.objects.published().count())') published articles, wrk -t2 -c16 -d$DURATION"
printf '%-6s %-40s %6s %10s %9s %9s %8s\n' cache path status "req/s" p50 p99 bytes
printf '%s\n' "${results[@]}"
