"""What a deployment is given: .env.example, docker-compose.yml, the health probe."""

import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import redis
import yaml

from jtvc import healthcheck

ROOT = Path(__file__).resolve().parents[2]


def documented():
    pairs = re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", (ROOT / ".env.example").read_text(), re.M)
    return dict(pairs)


def read_by_the_code():
    names = set()
    for path in [*ROOT.glob("jtvc/*.py"), *ROOT.glob("media_app/*.py"), ROOT / "gunicorn.conf.py"]:
        text = path.read_text()
        names |= set(re.findall(r'env_(?:bool|int|list|str)\(\s*"([A-Z][A-Z0-9_]+)"', text))
        names |= set(re.findall(r'environ\.get\(\s*["\']([A-Z][A-Z0-9_]+)["\']', text))
        names |= set(re.findall(r'\("\w+", "(AWS_[A-Z0-9_]+)"\)', text))
    return names - {"DJANGO_ALLOW_ASYNC_UNSAFE", "JTVC_PLAIN_STATIC", "JTVC_BIND_HOST", "PORT"}


def test_every_variable_the_code_reads_is_documented():
    assert read_by_the_code() - set(documented()) == set()


def test_check_deploy_passes_with_the_documented_values(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JTVC_"))}
    env.update(documented())
    env["DJANGO_SECRET_KEY"] = "a-documented-setup-" + "k3y" * 20
    env.pop("DATABASE_URL", None)
    env["MEDIA_ROOT"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_says_how_to_name_a_mail_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JTVC_"))}
    env.update(documented(), EMAIL_HOST="", DJANGO_SECRET_KEY="x" * 60, MEDIA_ROOT=str(tmp_path))
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "jtvc.E001" in result.stderr and "Set EMAIL_HOST" in result.stderr


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_app_service_gets_the_env_file_and_waits_for_migrate():
    services = compose()["services"]
    for name in ("migrate", "web", "worker"):
        assert services[name]["env_file"] == [{"path": ".env", "required": False}], name
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert "migrate" in " ".join(services["migrate"]["command"])
    assert "migrate" not in " ".join(services["web"]["command"])
    assert services["worker"]["command"][2] == "db_worker"
    assert (
        "./deploy/varnish/default.vcl:/etc/varnish/default.vcl:ro"
        in (services["varnish"]["volumes"])
    )
    assert services["minio"]["profiles"] == ["minio"]
    assert {"pgdata", "media"} <= set(compose()["volumes"])


def test_documented_values_keep_the_proxy_setting_on():
    # `cp .env.example .env` behind Varnish must trust X-Forwarded-Proto.
    assert documented()["DJANGO_BEHIND_PROXY"] == "1"


@pytest.mark.parametrize(
    ("allowed", "sent"),
    [
        ("news.example.org,www.example.org", "news.example.org"),
        (".example.org", "example.org"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_health_probe_sends_an_allowed_host(allowed, sent):
    assert healthcheck.probe_host(allowed) == sent


def test_the_health_probe_passes_only_on_200(monkeypatch):
    seen = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        status = 200

        def do_GET(self):
            seen["host"] = self.headers["Host"]
            self.send_response(Handler.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("PORT", str(server.server_port))
        monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "news.example.org")
        assert healthcheck.main() == 0 and seen["host"] == "news.example.org"
        Handler.status = 400
        assert healthcheck.main() == 1
    finally:
        server.shutdown()
        server.server_close()


def test_compose_redis_never_evicts_the_page_cache_stamps():
    """Stamps have no lifetime; a policy that may evict them could serve a changed page as
    fresh. volatile-lru drops only what has a lifetime (pages), and memory is bounded."""
    command = compose()["services"]["redis"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] in {"volatile-lru", "noeviction"}
    assert "--maxmemory" in command


def check_deploy_with_redis(url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JTVC_"))}
    env.update(documented(), REDIS_URL=url, EMAIL_HOST="smtp.example.org")
    env.update(DJANGO_SECRET_KEY="a-documented-setup-" + "k3y" * 20, MEDIA_ROOT=str(tmp_path))
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_warns_of_a_redis_that_may_evict_the_stamps(tmp_path):
    from tests.redis_server import RedisServer

    server = RedisServer(tmp_path).start()
    try:
        quiet = check_deploy_with_redis(server.url, tmp_path)
        assert quiet.returncode == 0, quiet.stdout + quiet.stderr
        redis.Redis(port=server.port).config_set("maxmemory-policy", "allkeys-lru")
        warned = check_deploy_with_redis(server.url, tmp_path)
        assert warned.returncode != 0
        assert "jtvc.W001" in warned.stderr and "volatile-lru" in warned.stderr
    finally:
        server.stop()
    # A Redis that cannot be reached says nothing here (the health probe reports it).
    gone = check_deploy_with_redis(server.url, tmp_path)
    assert gone.returncode == 0, gone.stdout + gone.stderr
