"""The portal as it runs in production, started for the browser suite: gunicorn and a Celery
worker as separate processes on ``config.settings`` (debug off), PostgreSQL (the suite's new
test database, no wrapping transaction), Redis as cache and broker, and e-mail written to files
that the journeys read.

Only what plain http on 127.0.0.1 needs differs from a deployment: no redirect to HTTPS and the
allowed host. Chromium accepts the ``Secure`` cookies on 127.0.0.1 as on HTTPS.
"""

import email
import email.policy
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(db: dict) -> str:
    """The URL of the database the suite's own process uses (its test database)."""
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return (
        f"postgres://{credentials}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/"
        f"{db['NAME']}"
    )


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise TimeoutError(f"waited {timeout:.0f} s for {what}")


@dataclass
class Mailbox:
    """The e-mails the web and worker processes sent (Django's file backend, one file per
    connection, messages separated by a line of 79 dashes)."""

    folder: Path

    def messages(self) -> list[EmailMessage]:
        found = []
        for path in sorted(self.folder.glob("*.log")):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if raw.strip():
                    found.append(email.message_from_bytes(raw, policy=email.policy.default))
        return found

    def wait_for(self, *, to: str, subject: str = "", timeout: float = 30.0) -> EmailMessage:
        def match():
            for message in self.messages():
                if to in message["To"] and subject in message["Subject"]:
                    return message
            return None

        return wait_for(match, timeout=timeout, what=f"an e-mail to {to} about {subject!r}")


@dataclass
class Stack:
    base_url: str
    env: dict[str, str]
    mailbox: Mailbox
    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    @classmethod
    def environment(cls, *, port: int, mail: Path, db: dict) -> dict[str, str]:
        """Production settings from the environment, as a deployment gives them: the suite's
        database, its Redis cache and broker (``REDIS_URL``, ``CELERY_BROKER_URL``), a fresh
        secret key, the suite's field encryption and audit chain keys (so that its own process
        reads and checks what the servers wrote), and e-mail to files."""
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
            "AUDIT_CHAIN_KEYS": ",".join(settings.AUDIT_CHAIN_KEYS),
            "DATABASE_URL": database_url(db),
            "REDIS_URL": os.environ["REDIS_URL"],
            "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
            "EMAIL_URL": f"filemail:///{mail}",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def spawn(self, name: str, *args: str) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def start(self) -> None:
        self.manage("collectstatic", "--noinput")
        self.manage("seed_demo", "--force")
        port = self.base_url.rsplit(":", 1)[1]
        self.spawn(
            "worker",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "--purge",
            "-n",
            f"e2e-{port}@%h",
        )
        self.spawn(
            "web",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            str(self.logs / "access.log"),
        )
        wait_for(self._ready, timeout=START_TIMEOUT, what="gunicorn's /readyz")
        wait_for(
            lambda: b" ready." in (self.logs / "worker.log").read_bytes(),
            timeout=START_TIMEOUT,
            what="the Celery worker",
        )

    def _ready(self) -> bool:
        for process in self.processes:
            if process.poll() is not None:
                name = process.args[2]
                raise RuntimeError(f"{name} exited with {process.returncode}; see {self.logs}")
        try:
            with urlopen(f"{self.base_url}/readyz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
