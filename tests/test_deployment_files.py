"""docker-compose.yml cannot be run here (no Docker engine); keep it valid and in step."""

import gc
import re
from pathlib import Path

import yaml
from gunicorn.app.base import Application

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = "\n".join(
    path.read_text() for path in sorted((ROOT / "config" / "settings").glob("*.py"))
)
README = (ROOT / "README.md").read_text()


def test_compose_runs_the_whole_stack_with_health_checks():
    services = COMPOSE["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    for name in ("db", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name


def test_every_variable_compose_sets_is_read_by_the_settings_and_documented():
    env = COMPOSE["x-app"]["environment"]
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
    for name in env:
        assert name in read, f"{name} is set in docker-compose.yml but settings never read it"
        assert f"`{name}`" in README, f"{name} is missing from the README configuration table"


def test_every_setting_read_from_the_environment_is_documented():
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
    missing = sorted(name for name in read if f"`{name}`" not in README)
    assert missing == []


def test_gunicorn_workers_freeze_their_start_up_heap():
    """gunicorn.conf.py, loaded the way gunicorn loads it, has each worker take what start-up
    loaded out of the collector's sight once it is ready (bench/scheduling.py: 1b)."""

    class ProjectConfig(Application):
        def load_config(self):  # the file only, not this process's command line
            self.load_config_from_file(str(ROOT / "gunicorn.conf.py"))

    config = ProjectConfig().cfg
    try:
        config.post_worker_init(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
