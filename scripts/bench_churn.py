"""The editor's side of `scripts/bench.sh churn`: one edit a minute through the admin.

Signs in on the admin's login page, then once a minute opens one article's change form,
changes its standfirst and posts the form back exactly as a browser would (every field the
form holds, the CSRF token, the "Save and continue editing" button), so the application's
own purge path runs. After each edit it reads the article through Varnish as a visitor
(the new standfirst must be there), and every minute it reads Varnish's counters: the hit
ratio of the reader requests (hits / (hits + misses); the editor's admin requests are
passes, counted in neither), the grace hits among them and the requests Varnish sent on to
the application.

Standard library only: it runs with the project's interpreter, no extra package.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

COUNTERS = (
    "MAIN.cache_hit",
    "MAIN.cache_hit_grace",
    "MAIN.cache_miss",
    "MAIN.cache_hitmiss",
    "MAIN.s_pass",
    "MAIN.backend_req",
    "MAIN.n_object",
)


class FormFields(HTMLParser):
    """The values a browser would send for the form with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.textarea = None
        self.select = None
        self.found = False

    def _ours(self, attrs):
        return self.inside or attrs.get("form") == self.form_id

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            self.found = self.found or self.inside
            return
        if not self._ours(attrs) or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append([name, attrs.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
            self.fields.append(self.textarea)
        elif tag == "select" and name:
            self.select = {"name": name, "chosen": [], "first": None, "many": "multiple" in attrs}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["many"]:
                chosen = [self.select["first"] or ""]  # a browser sends a single select's first
            self.fields += [[self.select["name"], value] for value in chosen]
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies and forms, as far as the admin needs them (http on loopback: the cookies'
    Secure flag is ignored, as a proxy terminating TLS in front would make it moot)."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirects)

    def request(self, path, data=None, *, cookies=True):
        headers = {"User-Agent": "jtvc-bench-churn"}
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            pairs = data.items() if isinstance(data, dict) else data
            body = urllib.parse.urlencode([tuple(pair) for pair in pairs]).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base + path
            headers["Origin"] = self.base
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            content = response.read().decode("utf-8", "replace")
            if cookies:
                for header in response.headers.get_all("Set-Cookie") or []:
                    name, _, rest = header.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers, content

    def form(self, path, form_id):
        status, _, content = self.request(path)
        if status != 200:
            raise SystemExit(f"churn: {path} answered {status}")
        parser = FormFields(form_id)
        parser.feed(content)
        if not parser.found:
            raise SystemExit(f"churn: no form #{form_id} on {path}")
        return parser.fields


def counters(instance):
    # On a saturated machine varnishstat sometimes fails to attach within its default 5 s.
    for _ in range(5):
        run = subprocess.run(
            ["varnishstat", "-t", "30", "-n", instance, "-1"]
            + [a for c in COUNTERS for a in ("-f", c)],
            capture_output=True,
            text=True,
        )
        if run.returncode == 0:
            break
        time.sleep(1)
    out = run.stdout
    values = dict.fromkeys(COUNTERS, 0)
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in values:
            values[parts[0]] = int(parts[1])
    return values


def log_in(browser, username, password):
    fields = dict(browser.form("/admin/login/", "login-form"))
    fields.update(username=username, password=password, next="/admin/")
    status, headers, content = browser.request("/admin/login/", fields)
    if status != 302:
        raise SystemExit(f"churn: the editor could not sign in (HTTP {status})")


def edit(browser, pk, stamp):
    """Change the standfirst through the change form; return the new text, or an error."""
    path = f"/admin/articles/article/{pk}/change/"
    fields = browser.form(path, "article_form")
    note = f" Edited at {stamp}."
    for field in fields:
        if field[0] == "dek":
            field[1] = re.sub(r" Edited at [0-9:]+\.$", "", field[1])[: 400 - len(note)] + note
            dek = field[1]
            break
    else:
        raise SystemExit("churn: the change form has no standfirst (dek) field")
    fields.append(["_continue", "Save and continue editing"])
    status, headers, content = browser.request(path, fields)
    if status != 302:
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', content, re.S)
        return None, f"HTTP {status} {re.sub(r'<[^>]+>', ' ', ' '.join(errors))[:300]}"
    return dek, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="Varnish's address")
    parser.add_argument("--varnish", required=True, help="varnishd's -n folder")
    parser.add_argument("--articles", required=True, help="file of 'pk path' lines")
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--username", required=True)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()

    with open(args.articles, encoding="utf-8") as listing:
        articles = [line.split() for line in listing if line.strip()]
    chosen = random.Random(args.seed).sample(articles, min(args.minutes, len(articles)))
    editor = Browser(args.base)
    log_in(editor, args.username, os.environ["BENCH_EDITOR_PASSWORD"])
    reader = Browser(args.base)

    print(
        f"churn: {len(articles)} article pages read continuously; one edit a minute for "
        f"{args.minutes} minutes through the admin's change form",
        flush=True,
    )
    header = (
        f"{'min':>3} {'requests':>9} {'hits':>9} {'misses':>7} {'hit %':>7} "
        f"{'grace':>6} {'to app':>6}  edit"
    )
    print(header, flush=True)
    start = counters(args.varnish)
    previous = start
    t0 = time.monotonic()
    failures = 0
    rows = []
    for minute in range(args.minutes):
        time.sleep(max(0.0, t0 + minute * 60 + 20 - time.monotonic()))
        pk, path = chosen[minute % len(chosen)]
        posted = time.monotonic()
        dek, error = edit(editor, pk, time.strftime("%H:%M:%S"))
        if error:
            failures += 1
            what = f"{path}: FAILED {error}"
        else:
            status, headers, content = reader.request(path, cookies=False)
            seen = dek.rsplit(" Edited at ", 1)[1] in content
            if not seen:
                failures += 1
            what = (
                f"{path} ({time.monotonic() - posted:.2f} s to save and read back; "
                f"{'new standfirst shown' if seen else 'OLD PAGE SHOWN'}, "
                f"X-Cache {headers.get('X-Cache')})"
            )
        time.sleep(max(0.0, t0 + (minute + 1) * 60 - time.monotonic()))
        now = counters(args.varnish)
        d = {k: now[k] - previous[k] for k in COUNTERS}
        previous = now
        looked_up = d["MAIN.cache_hit"] + d["MAIN.cache_miss"] + d["MAIN.cache_hitmiss"]
        ratio = 100 * d["MAIN.cache_hit"] / looked_up if looked_up else 0
        rows.append(d)
        print(
            f"{minute + 1:>3} {looked_up:>9} {d['MAIN.cache_hit']:>9} "
            f"{d['MAIN.cache_miss'] + d['MAIN.cache_hitmiss']:>7} {ratio:>7.3f} "
            f"{d['MAIN.cache_hit_grace']:>6} {d['MAIN.backend_req']:>6}  {what}",
            flush=True,
        )
    total = {k: previous[k] - start[k] for k in COUNTERS}
    looked_up = total["MAIN.cache_hit"] + total["MAIN.cache_miss"] + total["MAIN.cache_hitmiss"]
    ratio = 100 * total["MAIN.cache_hit"] / looked_up if looked_up else 0
    print(
        json.dumps(
            {
                "summary": {
                    "minutes": args.minutes,
                    "edits_failed": failures,
                    "requests": looked_up,
                    "hits": total["MAIN.cache_hit"],
                    "hit_ratio_percent": round(ratio, 4),
                    "backend_requests": total["MAIN.backend_req"],
                }
            }
        )
    )
    print(
        f"churn: article requests through Varnish: {ratio:.3f}% hits "
        f"({total['MAIN.cache_hit']:,} of {looked_up:,}) over {args.minutes} minutes, "
        f"{args.minutes - failures} of {args.minutes} edits seen at once; target >= 95%"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
