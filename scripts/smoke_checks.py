"""What a reader, a journalist and an editor notice, checked over HTTP against a running stack.

Used by scripts/compose-smoke.sh (and usable against any deployment with two app servers and
a proxy cache in front). Standard library only. Requests carry the public Host name and
``X-Forwarded-Proto: https``, as the TLS terminator in front of Varnish would send them;
cookies are kept by hand, because the site's cookies are Secure and the loopback hops are
plain HTTP.
"""

import argparse
import http.client
import io
import re
import struct
import subprocess
import sys
import time
import uuid
import zlib
from urllib.parse import urlencode, urlsplit

FAILURES = []


def check(ok, what):
    print(("  ok   " if ok else "  FAIL ") + what)
    if not ok:
        FAILURES.append(what)
    return ok


class Client:
    def __init__(self, host):
        self.host = host
        self.cookies = {}

    def request(self, base, method, path, body=None, headers=None):
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        sent = {"Host": self.host, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response, data

    def get(self, base, path, **kwargs):
        return self.request(base, "GET", path, **kwargs)

    def post_form(self, base, path, fields, referer_path):
        body = urlencode(fields).encode()
        return self.request(
            base,
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{self.host}{referer_path}",
            },
        )

    def post_multipart(self, base, path, fields, files, referer_path):
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content_type, data) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            )
            out.write(data + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(
            base,
            "POST",
            path,
            body=out.getvalue(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": f"https://{self.host}{referer_path}",
            },
        )


def csrf_token(html):
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1).decode() if match else ""


def png(width=800, height=500):
    """A real picture (a colour gradient) made without any imaging library."""
    rows = b"".join(
        b"\x00"
        + bytes(v for x in range(width) for v in ((x * 255) // width, (y * 255) // height, 128))
        for y in range(height)
    )

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def main():
    parser = argparse.ArgumentParser()
    for option in ("--host", "--varnish", "--web", "--web2", "--user", "--password"):
        parser.add_argument(option, required=True)
    parser.add_argument("--shell-on-web2", required=True, help="runs `manage.py shell -c` on web2")
    args = parser.parse_args()
    anonymous = Client(args.host)

    print("health")
    for name, base in (("web", args.web), ("web2", args.web2), ("varnish", args.varnish)):
        response, body = anonymous.get(base, "/healthz")
        check(
            response.status == 200 and b'"ok"' in body,
            f"/healthz through {name}: {response.status}",
        )

    print("home page through the cache")
    first, page = anonymous.get(args.varnish, "/")
    second, _ = anonymous.get(args.varnish, "/")
    check(first.status == 200 and b"<html" in page, f"home through Varnish: {first.status}")
    by_varnish = second.getheader("X-Cache") or second.getheader("X-Varnish")
    check(bool(by_varnish), f"answered by Varnish (X-Cache: {second.getheader('X-Cache')})")
    hit = (
        len((second.getheader("X-Varnish") or "").split()) == 2
        or int(second.getheader("Age") or 0) > 0
    )
    print(
        f"  info second request: cache {'HIT' if hit else 'miss (not shared-cacheable)'}; "
        f"Cache-Control: {second.getheader('Cache-Control')}"
    )

    print("admin login (through Varnish), session used on both app servers")
    editor = Client(args.host)
    _, login_page = editor.get(args.varnish, "/admin/login/")
    response, _ = editor.post_form(
        args.varnish,
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": csrf_token(login_page),
            "username": args.user,
            "password": args.password,
            "next": "/admin/",
        },
        "/admin/login/",
    )
    check(
        response.status == 302 and response.getheader("Location") == "/admin/",
        f"login answered {response.status} -> {response.getheader('Location')}",
    )
    for name, base in (("web", args.web), ("web2", args.web2)):
        response, body = editor.get(base, "/admin/")
        check(
            response.status == 200 and b"Log out" in body,
            f"the session works on {name}: {response.status}",
        )

    print("image upload on web2, served by web")
    add = "/admin/media_app/image/add/"
    _, form = editor.get(args.web2, add)
    response, body = editor.post_multipart(
        args.web2,
        add,
        {
            "csrfmiddlewaretoken": csrf_token(form),
            "alt_text": "A gradient from the smoke test",
            "credit": "Smoke Test/JTVC",
            "licence": "staff",
        },
        {"files": (f"smoke-{uuid.uuid4().hex[:8]}.png", "image/png", png())},
        add,
    )
    location = response.getheader("Location") or ""
    check(
        response.status == 302 and "/change/" in location,
        f"upload on web2: {response.status} -> {location}",
    )
    original = rendition = None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        _, change = editor.get(args.web, location)  # the other app server
        found = re.findall(
            rb'/media/(images|renditions)/[0-9a-f]{2}/[^"\s]+?\.(?:png|webp|jpg)', change
        )
        urls = [
            m.group(0).decode()
            for m in re.finditer(
                rb'/media/(?:images|renditions)/[0-9a-f]{2}/[^"\s<>]+?\.(?:png|webp|jpg)', change
            )
        ]
        original = next((u for u in urls if u.startswith("/media/images/")), original)
        rendition = next((u for u in urls if u.endswith(".webp")), None)
        if found and rendition:
            break
        time.sleep(2)
    check(bool(original), f"web shows the original: {original}")
    if original:
        response, data = anonymous.get(args.web, original)
        check(
            response.status == 200 and data[:8] == b"\x89PNG\r\n\x1a\n",
            f"web serves the original uploaded on web2: {response.status} "
            f"{response.getheader('Content-Type')}",
        )
        check(
            "immutable" in (response.getheader("Cache-Control") or ""),
            f"with a long cache life: {response.getheader('Cache-Control')}",
        )
        response, _ = anonymous.get(args.varnish, original)
        check(response.status == 200, f"and through Varnish: {response.status}")
    check(bool(rendition), f"the worker made the renditions: {rendition}")
    if rendition:
        response, data = anonymous.get(args.web, rendition)
        check(
            response.status == 200 and data[8:12] == b"WEBP",
            f"web serves a WebP rendition: {response.status}",
        )

    print("a publish on web2 is visible through Varnish at once")

    def on_web2(code):
        prelude = (
            "from articles.models import Article; from articles import services; "
            "from django.contrib.auth import get_user_model; "
            f"editor = get_user_model().objects.get(username={args.user!r}); "
        )
        run = subprocess.run([args.shell_on_web2, prelude + code], capture_output=True, text=True)
        if run.returncode:
            print(run.stdout, run.stderr, file=sys.stderr)
            run.check_returncode()
        return run.stdout.strip().splitlines()

    pk = on_web2(
        "a = Article.objects.published().order_by('-published_at').first(); "
        "services.unpublish_article(article=a, editor=editor, note='smoke test'); print(a.pk)"
    )[-1]
    title = on_web2(f"print(Article.objects.get(pk={pk}).title)")[-1]
    escaped = title.replace("&", "&amp;").replace("'", "&#x27;").encode()
    _, page = anonymous.get(args.varnish, "/")
    check(escaped not in page, f"unpublished on web2, gone from the home page: “{title}”")
    on_web2(f"services.publish_article(article=Article.objects.get(pk={pk}), editor=editor)")
    _, page = anonymous.get(args.varnish, "/")
    check(escaped in page, f"published again on web2, on the home page at once: “{title}”")

    if FAILURES:
        print(f"\n{len(FAILURES)} check(s) failed")
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
