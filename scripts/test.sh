#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it:
#   lint -> Django checks -> pytest on SQLite -> pytest on PostgreSQL -> browser tests.
# PostgreSQL: DATABASE_URL when it is a postgres:// URL, otherwise a throwaway cluster made
# by pg_virtualenv. Missing PostgreSQL or Chromium is skipped with a note, unless
# REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1, when it fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PY="$VENV/bin/python"
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-tests-only-not-a-secret-$(printf 'x%.0s' {1..32})}
export DJANGO_DEBUG=0 JTVC_PLAIN_STATIC=1 DJANGO_SECURE_SSL_REDIRECT=0
# Extra pytest arguments, e.g. PYTEST_ARGS="-k health".
read -r -a extra <<< "${PYTEST_ARGS:-}"

postgres_url=""
case "${DATABASE_URL:-}" in postgres://*|postgresql://*) postgres_url=$DATABASE_URL ;; esac
# The SQLite run must not pick up a PostgreSQL URL from the caller.
unset DATABASE_URL

step() { printf '\n==> %s\n' "$*"; }
skipped=()

# pytest exits 5 when a selection holds no test; that is not a failure of the suite.
run_pytest() {
  local rc=0
  "$VENV/bin/pytest" "$@" "${extra[@]}" || rc=$?
  [ "$rc" -eq 5 ] && { echo "(no tests selected)"; return 0; }
  return "$rc"
}

step "ruff check"
"$VENV/bin/ruff" check .
step "ruff format --check"
"$VENV/bin/ruff" format --check .
step "manage.py check"
"$PY" manage.py check --fail-level WARNING
step "makemigrations --check"
"$PY" manage.py makemigrations --check --dry-run

step "pytest on SQLite"
run_pytest -m "not browser" -p xdist -n "${TEST_WORKERS:-2}"

step "pytest on PostgreSQL"
pg_inner='DATABASE_URL="postgres://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}"'
if [ -n "$postgres_url" ]; then
  echo "using DATABASE_URL"
  DATABASE_URL=$postgres_url run_pytest -m "not browser" -p xdist -n "${TEST_WORKERS:-2}"
elif command -v pg_virtualenv >/dev/null 2>&1; then
  pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  echo "throwaway cluster: pg_virtualenv -v $pg_version"
  export VENV PYTEST_ARGS="${PYTEST_ARGS:-}" TEST_WORKERS="${TEST_WORKERS:-2}"
  pg_virtualenv -v "$pg_version" bash -c "export $pg_inner; rc=0
    \"\$VENV/bin/pytest\" -m 'not browser' -p xdist -n \"\$TEST_WORKERS\" \$PYTEST_ARGS || rc=\$?
    [ \$rc -eq 5 ] && rc=0; exit \$rc"
elif [ "${REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but there is no DATABASE_URL and no pg_virtualenv." >&2
  exit 1
else
  echo "SKIPPED: no DATABASE_URL=postgres://... and no pg_virtualenv (apt-get install postgresql)."
  skipped+=("PostgreSQL")
fi

step "browser tests (Chromium)"
# The browser conftest fails the run itself when REQUIRE_BROWSER=1 and Chromium is missing.
run_pytest -m browser

if [ ${#skipped[@]} -gt 0 ]; then
  printf '\nNOTE: skipped: %s\n' "${skipped[*]}"
fi
printf '\nAll checks passed.\n'
