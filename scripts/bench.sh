#!/usr/bin/env bash
# `make bench`: the reader site on the WordPress peer's corpus, in four rows.
# `make bench-churn` (scripts/bench.sh churn): the edge cache's hit ratio while an editor
# changes one article a minute.
#
#   BENCH_POSTS=10000 (or 1000, 100000) BENCH_SEED=42: the corpus made by
#   ../shared/bench/gen_corpus.py (kept in .bench/, or BENCH_CORPUS=file), loaded with
#   `manage.py load_bench_corpus` (same slugs, dates, authors, tags, excerpts, pictures; 10
#   posts per list page; rows per second printed at the end).
#   PostgreSQL: DATABASE_URL when it is postgres://… (the load is kept and reused: nothing is
#   loaded when the database already holds the corpus's posts), else a throwaway cluster
#   made by pg_virtualenv (loaded every run). BENCH_SKIP_LOAD=1 never loads (a database
#   loaded earlier; only the corpus's first line is read, for the five addresses).
#   BENCH_IMAGES=1 draws every picture (slow: 0.3-1 s each), 0 none, a fraction (0.01) that
#   share of the older posts' pictures plus all of the newest 1,000 posts' (the pages
#   measured show those). BENCH_MEDIA_ROOT: where the pictures go (default
#   .bench/media-<hash of DATABASE_URL>; point it at the folder of the run that loaded).
#   BENCH_ROWS="nocache app varnish static": the rows to measure.
#   BENCH_VARNISH_ARGS: extra varnishd arguments to try (e.g. "-p thread_pools=1").
#
# Missing tools (wrk, varnishd with the xkey vmod, nginx, curl) are installed with apt-get
# when this runs as root or `sudo -n` works (BENCH_INSTALL=0: never); otherwise the script
# says which packages to install.
#
# Served with production settings (DEBUG off, hashed static files) by gunicorn with 2
# workers, and measured with ../shared/bench/peer/measure.sh (wrk -t2 -c16 -d10s --latency
# after a 2 s warm-up, loopback; req/s, p50, p99, bytes, server CPU ms per request) on home,
# the corpus's target post, list page 2, its target tag and a search for its target word:
#   no cache     JTVC_PAGE_CACHE=0, straight to gunicorn
#   app cache    the Redis page cache (REDIS_URL, else redis://127.0.0.1:6379/10 when it
#                answers, else each worker's local memory), straight to gunicorn
#   varnish      deploy/varnish/default.vcl in front of that gunicorn
#   static       nginx (sendfile, keep-alive, gzip_static) serving the bytes Varnish served
#                for the same pages, saved to files, plain and gzipped (the machine's limit)
# Then, per page, the queries it runs and the database time they take, measured in process
# on the same database by `manage.py bench_queries` (page cache off).
#
# Churn (`scripts/bench.sh churn`, CHURN_MINUTES=10): gunicorn (page cache on) behind Varnish;
# every published article is requested once to fill the cache, then wrk cycles through all
# of them (CHURN_CONNECTIONS=4, CHURN_DELAY_MS=4 between a connection's requests) while
# scripts/bench_churn.py signs in as an editor and, once a minute, edits one article through
# the admin's change form (the real purge path). It prints the hit ratio of the article
# requests from Varnish's counters, per minute and overall, and what each edit purged.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-table}
case "$MODE" in table|churn) ;; *) echo "usage: $0 [table|churn]" >&2; exit 2 ;; esac
VENV=${VENV:-.venv}
PY="$ROOT/$VENV/bin/python"
N=${BENCH_POSTS:-${BENCH_ARTICLES:-10000}}
SEED=${BENCH_SEED:-42}
SHARED=${JTVC_SHARED:-$ROOT/../shared}
MEASURE="$SHARED/bench/peer/measure.sh"
WORK="$ROOT/.bench"

die() { echo "bench: $*" >&2; exit 1; }
[ -f "$SHARED/bench/gen_corpus.py" ] || die "no $SHARED/bench/gen_corpus.py (the shared folder)"

have_xkey() {
  local dir
  for dir in /usr/lib/*/varnish/vmods /usr/lib/varnish/vmods /usr/local/lib/varnish/vmods; do
    [ -e "$dir/libvmod_xkey.so" ] && return 0
  done
  return 1
}

missing_packages() {
  local need=()
  command -v wrk >/dev/null || need+=(wrk)
  command -v varnishd >/dev/null || need+=(varnish)
  have_xkey || need+=(varnish-modules)
  command -v nginx >/dev/null || need+=(nginx-light)
  command -v curl >/dev/null || need+=(curl)
  echo "${need[@]}"
}

ensure_tools() {
  local need as_root=()
  need=$(missing_packages)
  [ -z "$need" ] && return 0
  if [ "${BENCH_INSTALL:-1}" != 0 ] && command -v apt-get >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      as_root=()
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      die "missing: $need. Install them with: sudo apt-get install -y $need"
    fi
    echo "bench: installing $need (apt-get)"
    # shellcheck disable=SC2086
    if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need; then
      "${as_root[@]}" apt-get update -q
      # shellcheck disable=SC2086
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need \
        || die "apt-get could not install: $need"
    fi
    need=$(missing_packages)
    [ -z "$need" ] || die "still missing after apt-get: $need"
    return 0
  fi
  die "missing: $need (Debian packages; BENCH_INSTALL=0 or no apt-get, so not installed here)"
}
ensure_tools

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *)
    command -v pg_virtualenv >/dev/null || die "set DATABASE_URL=postgres://… or install postgresql-common (pg_virtualenv)"
    pg_version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    echo "bench: throwaway PostgreSQL $pg_version cluster (pg_virtualenv); set DATABASE_URL to keep the load"
    # shellcheck disable=SC2016
    exec pg_virtualenv -v "$pg_version" bash -c \
      'export DATABASE_URL="postgres://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}" BENCH_THROWAWAY=1; exec "$0" "$1"' \
      "$ROOT/scripts/bench.sh" "$MODE"
    ;;
esac

mkdir -p "$WORK"
chmod 755 "$WORK"
CORPUS=${BENCH_CORPUS:-$WORK/corpus-$N-s$SEED.jsonl}
if [ ! -s "$CORPUS" ]; then
  [ "${BENCH_SKIP_LOAD:-0}" = 1 ] && die "BENCH_SKIP_LOAD=1 needs the corpus file for its targets: set BENCH_CORPUS=/path/to/corpus-$N-s$SEED.jsonl"
  echo "bench: generating the corpus ($N posts, seed $SEED)"
  python3 "$SHARED/bench/gen_corpus.py" --posts "$N" --seed "$SEED" --out "$CORPUS.tmp"
  mv "$CORPUS.tmp" "$CORPUS"
fi

db_tag=$(printf '%s' "$DATABASE_URL" | sha256sum | cut -c1-12)
export MEDIA_ROOT=${BENCH_MEDIA_ROOT:-$WORK/media-$db_tag}
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
# No worker here: the corpus's pictures get their renditions while loading.
export JTVC_TASKS=${JTVC_TASKS:-immediate}

"$PY" manage.py migrate --noinput -v 0
# The five pages, from the corpus's own targets (its first line).
read -r post_slug tag_slug word < <(head -n 1 "$CORPUS" | python3 -c '
import json, sys
t = json.load(sys.stdin)["targets"]
print(t["post_slug"], t["tag_slug"], t["search_word"])')
published() {
  "$PY" manage.py shell -v 0 -c 'from articles.models import Article; print(Article.objects.published().count())'
}
if [ "${BENCH_SKIP_LOAD:-0}" = 1 ]; then
  echo "bench: BENCH_SKIP_LOAD=1: using the database as it is ($(published) published articles)"
else
  have=$(published)
  if [ "$have" -lt "$N" ]; then
    echo "bench: loading $CORPUS (have $have published articles)"
    images=(--images "${BENCH_IMAGES:-1}")
    /usr/bin/time -f "bench: loaded in %e s (%M KB peak)" \
      "$PY" manage.py load_bench_corpus "$CORPUS" "${images[@]}" 2>&1 \
      | grep -v '^INFO django.tasks' | tee "$WORK/load-$N-$db_tag.log"
  fi
fi
"$PY" manage.py collectstatic --noinput -v 0

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
  for _ in $(seq 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
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

VDIR="$WORK/varnish-$$"
start_varnish() {  # storage size
  rm -rf "$VDIR" && mkdir -p "$VDIR" && chmod 755 "$VDIR"
  sed -e 's/\.host = "web";/.host = "127.0.0.1";/' -e "s/\\.port = \"8000\";/.port = \"$APP_PORT\";/" \
    deploy/varnish/default.vcl > "$VDIR/bench.vcl"
  chmod 644 "$VDIR/bench.vcl"
  V_PORT=${V_PORT:-$(free_port)}
  read -r -a vextra <<< "${BENCH_VARNISH_ARGS:-}"
  varnishd -F -a "127.0.0.1:$V_PORT" -T "127.0.0.1:$(free_port)" -f "$VDIR/bench.vcl" \
    -s "malloc,$1" -n "$VDIR/instance" "${vextra[@]}" >"$VDIR/varnishd.log" 2>&1 &
  varnish_pid=$!
  pids+=("$!")
  wait_for "http://127.0.0.1:$V_PORT/healthz"
}

if [ "$MODE" = churn ]; then
  # The app purges the Varnish in front of it after each change, as in Compose.
  V_PORT=$(free_port)
  export JTVC_EDGE_PURGE=varnish JTVC_VARNISH_URLS="http://127.0.0.1:$V_PORT"
  start_app 1
  start_varnish "${CHURN_VARNISH_MEMORY:-2g}"
  CDIR="$WORK/churn"
  mkdir -p "$CDIR"
  "$PY" manage.py shell -v 0 -c '
from articles.models import Article
for pk, url in ((a.pk, a.get_absolute_url()) for a in Article.objects.published().only("pk", "slug").order_by("pk")):
    print(pk, url)' > "$CDIR/articles.txt"
  cut -d' ' -f2 "$CDIR/articles.txt" > "$CDIR/urls.txt"
  count=$(wc -l < "$CDIR/urls.txt")
  echo "bench: filling Varnish with all $count article pages (one request each)"
  started=$(date +%s)
  sed "s#^#http://127.0.0.1:$V_PORT#" "$CDIR/urls.txt" \
    | xargs -P "${CHURN_FILL_PARALLEL:-4}" -n 100 curl -s >/dev/null
  echo "bench: filled in $(( $(date +%s) - started )) s"
  password=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')
  BENCH_EDITOR_PASSWORD=$password "$PY" manage.py shell -v 0 -c '
import os
from django.contrib.auth.models import Group, User
user, _ = User.objects.get_or_create(username="bench-editor", defaults={"email": "bench-editor@example.invalid"})
user.is_staff = True
user.set_password(os.environ["BENCH_EDITOR_PASSWORD"])
user.save()
user.groups.add(Group.objects.get(name="Editors"))'
  minutes=${CHURN_MINUTES:-10}
  CHURN_URLS="$CDIR/urls.txt" CHURN_DELAY_MS=${CHURN_DELAY_MS:-4} \
    wrk -t2 -c"${CHURN_CONNECTIONS:-4}" -d"$((minutes * 60 + 5))s" --timeout 30s \
    -s scripts/bench_churn.lua "http://127.0.0.1:$V_PORT" > "$CDIR/wrk.txt" 2>&1 &
  wrk_pid=$!
  pids+=("$wrk_pid")
  BENCH_EDITOR_PASSWORD=$password "$PY" scripts/bench_churn.py \
    --base "http://127.0.0.1:$V_PORT" --varnish "$VDIR/instance" \
    --articles "$CDIR/articles.txt" --minutes "$minutes" --username bench-editor \
    | tee "$CDIR/result.txt"
  wait "$wrk_pid" || true
  echo "wrk (readers):"
  sed 's/^/  /' "$CDIR/wrk.txt"
  exit 0
fi

export MEASURE_OURS=${MEASURE_OURS:-'^(gunicorn|postgres|redis-server|varnishd|cache-main|nginx|wrk|kworker|ksoftirqd|rcu_|migration)'}
# No repeated runs: the CPU per request is counted by process id, so someone else's load
# does not change it (it only lowers req/s).
export MEASURE_IDLE_WAIT=${MEASURE_IDLE_WAIT:-15} MEASURE_RETRIES=${MEASURE_RETRIES:-0}
ROWS=" ${BENCH_ROWS:-nocache app varnish static} "
declare -A result
DBNAME=$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlsplit(sys.argv[1]).path.lstrip("/")))' "$DATABASE_URL")
server_pids=()
measure_row() {  # row-name base-URL path...
  # measure.sh per address (its req/s, p50, p99, bytes), with the server CPU per request
  # counted by process id (scripts/bench_cpu.py: our gunicorn, varnishd, nginx and our
  # database's backends), since measure.sh's count by process name takes in every
  # PostgreSQL backend on the machine, other people's included.
  local row=$1 base=$2 i=0 path line raw snap ms n rps p50 p99 bytes
  shift 2
  raw="$WORK/raw-$$"
  snap=$(mktemp)
  for path in "$@"; do
    wrk -t2 -c16 -d"${WRK_WARMUP:-2s}" "$base$path" >/dev/null 2>&1 || true
    rm -rf "$raw"
    python3 scripts/bench_cpu.py take "$snap" "$DBNAME" "${server_pids[@]}"
    line=$(WRK_WARMUP=0 MEASURE_RAW_DIR="$raw" "$MEASURE" "$base$path" 2>>"$WORK/measure.log" | awk '{print $2, $3, $4, $5, $6}')
    ms=$(python3 scripts/bench_cpu.py diff "$snap" "$DBNAME" "${server_pids[@]}")
    n=$(cat "$raw"/wrk-*.txt 2>/dev/null | awk '/ requests in / {print $1}' | tail -n 1)
    echo "$row $base$path: measure.sh $line; by pid: $ms ms for ${n:-?} requests" >> "$WORK/measure.log"
    read -r rps p50 p99 bytes _ <<< "$line"
    # n + 1: measure.sh's own request for the byte count.
    result["$row,${names[$i]}"]="$rps $p50 $p99 $bytes $(awk -v ms="$ms" -v n="${n:-0}" \
      'BEGIN { if (n > 0) printf "%.3f", ms / (n + 1); else print "-" }')"
    i=$((i + 1))
  done
  rm -f "$snap"
}

: > "$WORK/measure.log"
echo "bench: counting queries per page (manage.py bench_queries)"
declare -A queries
while read -r path status count sql_ms req_ms; do
  for i in "${!paths[@]}"; do
    [ "${paths[$i]}" = "$path" ] && queries["${names[$i]}"]="$status $count $sql_ms $req_ms"
  done
done < <(JTVC_PAGE_CACHE=0 "$PY" manage.py bench_queries "${paths[@]}" | tail -n +2)

echo "bench: measuring (details in .bench/measure.log)"
if [[ $ROWS == *" nocache "* ]]; then
  start_app 0
  server_pids=("$app_pid")
  measure_row "no cache" "http://127.0.0.1:$APP_PORT" "${paths[@]}"
  stop_app
fi

start_app 1
server_pids=("$app_pid")
[[ $ROWS == *" app "* ]] && measure_row "app cache" "http://127.0.0.1:$APP_PORT" "${paths[@]}"

start_varnish "${BENCH_VARNISH_MEMORY:-256m}"
server_pids=("$app_pid" "$varnish_pid")
[[ $ROWS == *" varnish "* ]] && measure_row "varnish" "http://127.0.0.1:$V_PORT" "${paths[@]}"

if [[ $ROWS == *" static "* ]]; then
  # The bytes Varnish serves for each page, plain (what wrk, sending no Accept-Encoding, gets)
  # and gzipped (what a browser gets), so nginx serves exactly the same either way.
  SDIR="$WORK/static-$$"
  rm -rf "$SDIR" && mkdir -p "$SDIR/site" "$SDIR/tmp" && chmod -R 755 "$SDIR"
  static_paths=()
  for i in "${!paths[@]}"; do
    file="$SDIR/site/${names[$i]}.html"
    curl -sf -o "$file" "http://127.0.0.1:$V_PORT${paths[$i]}"
    curl -sf -H 'Accept-Encoding: gzip' -o "$file.gz" "http://127.0.0.1:$V_PORT${paths[$i]}"
    # Only keep the .gz when the answer really was compressed.
    gzip -t "$file.gz" 2>/dev/null || rm -f "$file.gz"
    chmod 644 "$SDIR"/site/*
    static_paths+=("/${names[$i]}.html")
  done
  S_PORT=$(free_port)
  cat > "$SDIR/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $SDIR/nginx.pid;
error_log $SDIR/error.log warn;
events { worker_connections 1024; }
http {
    types { text/html html; }
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    access_log off;
    server_tokens off;
    # The saved .gz beside each page, sent as it is to clients that accept gzip; never
    # compressed per request (Varnish does not either).
    gzip off;
    gzip_static on;
    gzip_vary on;
    open_file_cache max=100 inactive=60s;
    open_file_cache_valid 60s;
    client_body_temp_path $SDIR/tmp;
    proxy_temp_path $SDIR/tmp;
    fastcgi_temp_path $SDIR/tmp;
    uwsgi_temp_path $SDIR/tmp;
    scgi_temp_path $SDIR/tmp;
    server {
        listen 127.0.0.1:$S_PORT;
        root $SDIR/site;
    }
}
EOF
  nginx -c "$SDIR/nginx.conf" -e "$SDIR/error.log" &
  nginx_pid=$!
  pids+=("$!")
  wait_for "http://127.0.0.1:$S_PORT/home.html"
  for i in "${!paths[@]}"; do
    a=$(curl -s "http://127.0.0.1:$S_PORT${static_paths[$i]}" | sha256sum)
    b=$(sha256sum < "$SDIR/site/${names[$i]}.html")
    [ "$a" = "$b" ] || die "nginx does not serve the saved bytes of ${names[$i]}"
  done
  server_pids=("$nginx_pid")
  measure_row "static" "http://127.0.0.1:$S_PORT" "${static_paths[@]}"
fi
stop_app

published=$(published)
{
  echo
  echo "JTVC reader site: $published published articles (corpus $N posts, seed $SEED), PostgreSQL,"
  echo "gunicorn ${WORKERS:-2} workers, production settings; wrk -t2 -c16 -d10s, loopback; $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)."
  printf '%-12s %-10s %10s %9s %9s %8s %11s\n' page row "req/s" p50_ms p99_ms bytes cpu_ms/req
  for name in "${names[@]}"; do
    for row in "no cache" "app cache" "varnish" "static"; do
      [ -n "${result["$row,$name"]:-}" ] || continue
      # shellcheck disable=SC2086
      printf '%-12s %-10s %10s %9s %9s %8s %11s\n' "$name" "$row" ${result["$row,$name"]}
    done
  done
  echo
  echo "Per page, in process, page cache off (manage.py bench_queries; best of 3):"
  printf '%-12s %6s %8s %8s %8s\n' page status queries sql_ms req_ms
  for name in "${names[@]}"; do
    # shellcheck disable=SC2086
    printf '%-12s %6s %8s %8s %8s\n' "$name" ${queries["$name"]:-- - - -}
  done
} | tee "$WORK/result-$N-$(date -u +%Y%m%dT%H%M).txt"
