"""docker-compose.yml cannot be run here (no Docker engine); keep it valid and in step."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = (ROOT / "clinic" / "settings.py").read_text()
README = (ROOT / "README.md").read_text()


def test_compose_runs_the_whole_stack_with_health_checks():
    services = COMPOSE["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "clinic", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "clinic", "beat"]
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
