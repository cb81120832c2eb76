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
for tool in dockerd docker debootstrap curl; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (apt-get install docker.io debootstrap curl)"
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
  say "stand-in $tag from deploy/standins/$dir"
  DOCKER_BUILDKIT=0 docker build -q --network host -t "$tag" "$dir" >/dev/null
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
