"""A private redis-server for tests that need a real Redis they may stop, pause and restart.

Each test gets its own server on a free loopback port (so parallel workers never share one,
and the machine's own Redis is never touched). Missing redis-server skips the test, unless
REQUIRE_REDIS=1 (CI), when it fails.
"""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, folder):
        executable = shutil.which("redis-server")
        if executable is None:
            message = "redis-server is not installed (apt-get install redis-server)"
            if os.environ.get("REQUIRE_REDIS") == "1":
                pytest.fail(message + " and REQUIRE_REDIS=1")
            pytest.skip(message + "; set REQUIRE_REDIS=1 to fail instead")
        self.executable = executable
        self.folder = folder
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                return self
            except redis.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    pytest.fail(f"redis-server did not start on port {self.port}")
                time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # in case it was paused
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def pause(self):
        """Freeze the server: connections time out, the data stays (a network outage)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def cache_settings(self, prefix="jtvc-test"):
        return {
            "default": {
                "BACKEND": "jtvc.redis_cache.RedisCache",
                "LOCATION": self.url,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
