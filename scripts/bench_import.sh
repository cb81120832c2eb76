#!/usr/bin/env bash
# `make bench-import`: time the WordPress importer on the shared 1,000-post export.
#   Imports ../shared/wxr/bench-1000.xml.gz with its 334 pictures into a fresh SQLite
#   database (or BENCH_DATABASE_URL, e.g. a PostgreSQL database of your own) under
#   /usr/bin/time -v, then imports it again (nothing may change), and prints wall time,
#   time per post, peak RSS and the importer's own phase timings.
#   BENCH_IMPORT_SCALE=10 also builds a 10,000-post export from the same one (new ids and
#   slugs, the same picture files) and imports it without pictures, to show that memory
#   stays flat while the file grows (the reader streams).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
SHARED=${SHARED:-$PWD/../shared/wxr}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jtvc-bench-import.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export DJANGO_DEBUG=0 DJANGO_LOG_LEVEL=WARNING MEDIA_ROOT="$WORK/media"
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-only-$(printf 'x%.0s' {1..40})}
export DATABASE_URL=${BENCH_DATABASE_URL:-sqlite:///$WORK/bench.sqlite3}

tar xzf "$SHARED/bench-1000-uploads.tar.gz" -C "$WORK"
"$PY" manage.py migrate --noinput -v 0

run() {  # run LABEL ARGS...: import with /usr/bin/time, print figures
  local label=$1; shift
  /usr/bin/time -v -o "$WORK/time.txt" "$PY" manage.py import_wordpress "$@" \
    --no-progress --report "$WORK/report.json" > "$WORK/out.txt"
  "$PY" - "$label" "$WORK/time.txt" "$WORK/report.json" <<'PY'
import json, re, sys
label, time_file, report_file = sys.argv[1:]
t = open(time_file).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
seconds = int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)[1]) / 1024
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", t)[1]) + float(
    re.search(r"System time \(seconds\): ([\d.]+)", t)[1])
r = json.load(open(report_file))
posts = r["counts"].get("posts", {})
n = posts.get("in", 0) or 1
print(f"{label}: {seconds:.1f} s wall ({cpu:.1f} s CPU), {1000 * seconds / n:.1f} ms per post, "
      f"peak RSS {rss:.0f} MB, changed={r['changed']}")
print(f"  phases (s): {r['seconds']}")
print("  " + "; ".join(
    f"{k} {c['in']} in/{c['created']} new/{c['updated']} upd/{c['unchanged']} same/"
    f"{c['skipped']} skip/{c['failed']} fail" for k, c in sorted(r["counts"].items())))
PY
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); database: ${DATABASE_URL%%:*}"
run "first import (1,000 posts, 334 pictures)" "$SHARED/bench-1000.xml.gz" --media-dir "$WORK/uploads"
run "second import (same file)" "$SHARED/bench-1000.xml.gz" --media-dir "$WORK/uploads"

if [ "${BENCH_IMPORT_SCALE:-1}" -gt 1 ]; then
  "$PY" - "$SHARED/bench-1000.xml.gz" "$WORK/big.xml" "$BENCH_IMPORT_SCALE" <<'PY'
# Repeat the export's items SCALE times with new ids and slugs (a stand-in for a larger site).
import gzip, re, sys
src, dst, scale = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = gzip.open(src, "rt", encoding="utf-8").read()
head, rest = text.split("<item>", 1)
body, tail = ("<item>" + rest).rsplit("</item>", 1)
items = body + "</item>"
with open(dst, "w", encoding="utf-8") as out:
    out.write(head)
    for k in range(scale):
        part = items if k == 0 else re.sub(
            r"<wp:post_id>(\d+)</wp:post_id>",
            lambda m: f"<wp:post_id>{int(m[1]) + k * 100000}</wp:post_id>", items)
        if k:
            part = re.sub(r"(<wp:post_name><!\[CDATA\[)([^\]]*)", rf"\g<1>\g<2>-r{k}", part)
            part = re.sub(r"(<link>[^<]*?)/</link>", rf"\g<1>-r{k}/</link>", part)
            part = re.sub(r"(_thumbnail_id\]\]></wp:meta_key>\s*<wp:meta_value><!\[CDATA\[)(\d+)",
                          lambda m: f"{m[1]}{int(m[2]) + k * 100000}", part)
        out.write(part)
    out.write(tail)
PY
  echo "scaled export: $(du -h "$WORK/big.xml" | cut -f1)"
  run "scaled import (${BENCH_IMPORT_SCALE}× posts, pictures not given)" "$WORK/big.xml"
fi
