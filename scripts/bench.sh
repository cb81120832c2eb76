#!/usr/bin/env bash
# `make bench`: the reader site on the WordPress peer's corpus, in four rows.
#
#   BENCH_POSTS=10000 (or 1000, 100000) BENCH_SEED=42: the corpus made by
#   ../shared/bench/gen_corpus.py (kept in .bench/), loaded with `manage.py load_bench_corpus`
#   (same slugs, dates, authors, tags, excerpts, pictures; 10 posts per list page).
#   PostgreSQL: DATABASE_URL when it is postgres://… (the load is kept and reused), else a
#   throwaway cluster made by pg_virtualenv (loaded every run). BENCH_IMAGES=0 skips the
#   pictures (much faster to load; the pages are then smaller than the peer's).
#
# Served with production settings (DEBUG off, hashed static files) by gunicorn with 2
# workers, and measured with ../shared/bench/peer/measure.sh (wrk -t2 -c16 -d10s --latency
# after a 2 s warm-up, loopback; req/s, p50, p99, bytes, server CPU ms per request) on home,
# the corpus's target post, list page 2, its target tag and a search for its target word:
#   no cache     JTVC_PAGE_CACHE=0, straight to gunicorn
#   app cache    the Redis page cache (REDIS_URL, else redis://127.0.0.1:6379/10 when it
#                answers, else each worker's local memory), straight to gunicorn
#   varnish      deploy/varnish/default.vcl in front of that gunicorn
#   static       nginx serving the saved bytes of the same pages (the machine's limit)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-.venv}
PY="$ROOT/$VENV/bin/python"
N=${BENCH_POSTS:-${BENCH_ARTICLES:-10000}}
SEED=${BENCH_SEED:-42}
SHARED=${JTVC_SHARED:-$ROOT/../shared}
MEASURE="$SHARED/bench/peer/measure.sh"
WORK="$ROOT/.bench"

die() { echo "bench: $*" >&2; exit 1; }
[ -f "$SHARED/bench/gen_corpus.py" ] || die "no $SHARED/bench/gen_corpus.py (the shared folder)"
for tool in wrk varnishd nginx curl; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y wrk varnish varnish-modules nginx-light curl)"
done

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *)
    command -v pg_virtualenv >/dev/null || die "set DATABASE_URL=postgres://… or install postgresql-common (pg_virtualenv)"
    pg_version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    echo "bench: throwaway PostgreSQL $pg_version cluster (pg_virtualenv); set DATABASE_URL to keep the load"
    # shellcheck disable=SC2016
    exec pg_virtualenv -v "$pg_version" bash -c \
      'export DATABASE_URL="postgres://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}" BENCH_THROWAWAY=1; exec "$0"' \
      "$ROOT/scripts/bench.sh"
    ;;
esac

mkdir -p "$WORK"
chmod 755 "$WORK"
CORPUS="$WORK/corpus-$N-s$SEED.jsonl"
if [ ! -s "$CORPUS" ]; then
  echo "bench: generating the corpus ($N posts, seed $SEED)"
  python3 "$SHARED/bench/gen_corpus.py" --posts "$N" --seed "$SEED" --out "$CORPUS.tmp"
  mv "$CORPUS.tmp" "$CORPUS"
fi

db_tag=$(printf '%s' "$DATABASE_URL" | sha256sum | cut -c1-12)
export MEDIA_ROOT="$WORK/media-$db_tag"
[ "${BENCH_THROWAWAY:-0}" = 1 ] && rm -rf "$MEDIA_ROOT"
export DJANGO_DEBUG=0 JTVC_PLAIN_STATIC=0 STATIC_ROOT="$WORK/static-root"
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-only-$(printf 'x%.0s' {1..40})}
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0
export DJANGO_SERVE_MEDIA=1 DJANGO_LOG_LEVEL=WARNING JTVC_PER_PAGE=10
if [ -z "${REDIS_URL:-}" ] && command -v redis-cli >/dev/null \
  && redis-cli -u redis://127.0.0.1:6379/10 ping >/dev/null 2>&1; then
  export REDIS_URL=redis://127.0.0.1:6379/10
fi
export CACHE_KEY_PREFIX="jtvc-bench-$db_tag-$$"
# No worker here: the demo pictures get their renditions while seeding.
export JTVC_TASKS=${JTVC_TASKS:-immediate}

"$PY" manage.py migrate --noinput -v 0
have=$("$PY" manage.py shell -v 0 -c 'from articles.models import Article; print(Article.objects.published().count())')
if [ "$have" -lt "$N" ]; then
  echo "bench: loading $CORPUS (have $have published articles)"
  images=()
  [ "${BENCH_IMAGES:-1}" = 0 ] && images=(--no-images)
  /usr/bin/time -f "bench: loaded in %e s (%M KB peak)" \
    "$PY" manage.py load_bench_corpus "$CORPUS" "${images[@]}"
fi
"$PY" manage.py collectstatic --noinput -v 0

# The five pages, from the corpus's own targets.
read -r post_slug tag_slug word < <(head -n 1 "$CORPUS" | python3 -c '
import json, sys
t = json.load(sys.stdin)["targets"]
print(t["post_slug"], t["tag_slug"], t["search_word"])')
names=(home article list-page-2 tag search)
paths=("/" "/blog/$post_slug/" "/blog/?page=2" "/tag/$tag_slug/" "/search/?q=$word")

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
APP_PORT=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_for() {  # URL
  for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  die "nothing answers at $1"
}

start_app() {  # JTVC_PAGE_CACHE value
  JTVC_PAGE_CACHE=$1 "$ROOT/$VENV/bin/gunicorn" jtvc.wsgi:application \
    --bind "127.0.0.1:$APP_PORT" --workers "${WORKERS:-2}" --log-level warning \
    --access-logfile /dev/null &
  app_pid=$!
  pids+=("$app_pid")
  wait_for "http://127.0.0.1:$APP_PORT/healthz"
}

stop_app() { kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; }

export MEASURE_OURS=${MEASURE_OURS:-'^(gunicorn|postgres|redis-server|varnishd|cache-main|nginx|wrk|kworker|ksoftirqd|rcu_|migration)'}
export MEASURE_IDLE_WAIT=${MEASURE_IDLE_WAIT:-15} MEASURE_RETRIES=${MEASURE_RETRIES:-1}
declare -A result
measure_row() {  # row-name base-URL path...
  local row=$1 base=$2 i=0 line
  shift 2
  local urls=()
  for path in "$@"; do urls+=("$base$path"); done
  while read -r line; do
    result["$row,${names[$i]}"]=$line
    i=$((i + 1))
  done < <("$MEASURE" "${urls[@]}" 2>>"$WORK/measure.log" | awk '{print $2, $3, $4, $5, $6}')
}

: > "$WORK/measure.log"
echo "bench: measuring (details in .bench/measure.log)"
start_app 0
measure_row "no cache" "http://127.0.0.1:$APP_PORT" "${paths[@]}"
stop_app

start_app 1
measure_row "app cache" "http://127.0.0.1:$APP_PORT" "${paths[@]}"

VDIR="$WORK/varnish"
rm -rf "$VDIR" && mkdir -p "$VDIR" && chmod 755 "$VDIR"
sed -e 's/\.host = "web";/.host = "127.0.0.1";/' -e "s/\\.port = \"8000\";/.port = \"$APP_PORT\";/" \
  deploy/varnish/default.vcl > "$VDIR/bench.vcl"
chmod 644 "$VDIR/bench.vcl"
V_PORT=$(free_port)
varnishd -F -a "127.0.0.1:$V_PORT" -T "127.0.0.1:$(free_port)" -f "$VDIR/bench.vcl" \
  -s malloc,256m -n "$VDIR/instance" >"$VDIR/varnishd.log" 2>&1 &
pids+=("$!")
wait_for "http://127.0.0.1:$V_PORT/healthz"
measure_row "varnish" "http://127.0.0.1:$V_PORT" "${paths[@]}"

SDIR="$WORK/static"
rm -rf "$SDIR" && mkdir -p "$SDIR/site" && chmod -R 755 "$SDIR"
static_paths=()
for i in "${!paths[@]}"; do
  curl -sf -o "$SDIR/site/${names[$i]}.html" "http://127.0.0.1:$APP_PORT${paths[$i]}"
  chmod 644 "$SDIR/site/${names[$i]}.html"
  static_paths+=("/${names[$i]}.html")
done
stop_app
S_PORT=$(free_port)
cat > "$SDIR/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $SDIR/nginx.pid;
error_log $SDIR/error.log warn;
events { worker_connections 1024; }
http {
    default_type text/html;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    access_log off;
    gzip off;
    open_file_cache max=100 inactive=60s;
    client_body_temp_path $SDIR/tmp;
    proxy_temp_path $SDIR/tmp;
    fastcgi_temp_path $SDIR/tmp;
    server {
        listen 127.0.0.1:$S_PORT;
        root $SDIR/site;
    }
}
EOF
mkdir -p "$SDIR/tmp"
nginx -c "$SDIR/nginx.conf" -e "$SDIR/error.log" &
pids+=("$!")
wait_for "http://127.0.0.1:$S_PORT/home.html"
measure_row "static" "http://127.0.0.1:$S_PORT" "${static_paths[@]}"

published=$("$PY" manage.py shell -v 0 -c 'from articles.models import Article; print(Article.objects.published().count())')
echo
echo "JTVC reader site: $published published articles (corpus $N posts, seed $SEED), PostgreSQL,"
echo "gunicorn ${WORKERS:-2} workers, production settings; wrk -t2 -c16 -d10s, loopback."
printf '%-12s %-10s %10s %9s %9s %8s %11s\n' page row "req/s" p50_ms p99_ms bytes cpu_ms/req
for name in "${names[@]}"; do
  for row in "no cache" "app cache" "varnish" "static"; do
    # shellcheck disable=SC2086
    printf '%-12s %-10s %10s %9s %9s %8s %11s\n' "$name" "$row" ${result["$row,$name"]:-- - - - -}
  done
done
