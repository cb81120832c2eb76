"""The container health probe: ``python -m jtvc.healthcheck`` exits 0 when /healthz says ok.

It sends a Host header the site accepts (the first name in DJANGO_ALLOWED_HOSTS), so it works
with production settings; a bare request to 127.0.0.1 would get 400 from Django's host check.
Plain HTTP on loopback: /healthz is exempt from the HTTPS redirect. No Django import, so it
costs a few milliseconds.
"""

import http.client
import os
import sys


def probe_host(allowed_hosts):
    for name in (h.strip() for h in allowed_hosts.split(",")):
        if not name or name == "*":
            continue
        return name.lstrip(".") or "localhost"  # ".example.org" allows example.org itself
    return "localhost"


def main():
    port = int(os.environ.get("PORT", "8000"))
    host = probe_host(os.environ.get("DJANGO_ALLOWED_HOSTS", ""))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        status = connection.getresponse().status
    except OSError as error:
        print(f"healthcheck: no answer on port {port}: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"healthcheck: /healthz answered {status} (Host: {host})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
