"""The compose file is checked against the Compose Specification's JSON schema, and
everything it names must exist in the repository (test_compose_stack.py runs it)."""

import importlib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from canlian.common.descriptor import installed_services
from canlian.common.web_security import UVICORN_FLAGS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SCHEMA = ROOT / "deploy" / "compose-spec" / "compose-spec.json"


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def test_compose_file_validates_against_the_compose_specification() -> None:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(_compose()), key=lambda error: list(error.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_schema_check_would_catch_a_mistake() -> None:
    broken = _compose()
    broken["services"]["postgres"]["restart_policy"] = "always"  # not a Compose key
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    assert list(validator.iter_errors(broken))


def test_every_platform_service_runs_with_migrations_first() -> None:
    services = _compose()["services"]
    for descriptor in installed_services():
        service = services[descriptor.name]
        assert service["depends_on"][f"{descriptor.name}-migrate"]["condition"] == (
            "service_completed_successfully"
        )
        migrate = services[f"{descriptor.name}-migrate"]
        assert migrate["command"][-1] == descriptor.name
        assert "readyz" in " ".join(service["healthcheck"]["test"])
        # Published on loopback only, on a host port the operator may move.
        (published,) = service["ports"]
        assert published.startswith("127.0.0.1:${CANLIAN_")
        assert published.endswith(f":-{descriptor.default_port}}}:{descriptor.default_port}")


def test_secrets_come_from_the_env_file_not_the_compose_file() -> None:
    environment = _compose()["x-service-env"]
    for key in ("CANLIAN_PII_KEY", "CANLIAN_PII_INDEX_KEY"):
        assert environment[key] == f"${{{key}:?set {key} in .env (bash scripts/compose-env.sh)}}"
        assert f"{key}=<base64 of 32 random bytes" in (ROOT / ".env.example").read_text()
    assert ":?" in environment["DATABASE_URL"]


@pytest.mark.parametrize("name", sorted(_compose()["services"]))
def test_everything_a_service_names_exists(name: str) -> None:
    service = _compose()["services"][name]
    build = service.get("build")
    if build:
        assert (ROOT / build["context"] / build["dockerfile"]).is_file()
    command = service.get("command") or []
    if command[:1] == ["uvicorn"]:
        for flag in UVICORN_FLAGS:  # what `canlian up` passes: no server banner
            assert flag in command
    if "--factory" in command:
        module, _, attribute = command[command.index("--factory") + 1].partition(":")
        assert callable(getattr(importlib.import_module(module), attribute))
    if command[:3] == ["python", "-m", "canlian.common.migrate"]:
        assert command[3] in {service.name for service in installed_services()}
    for dependency in service.get("depends_on", {}):
        assert dependency in _compose()["services"]


@pytest.mark.parametrize("descriptor", installed_services(), ids=lambda d: d.name)
def test_dockerfiles_are_slim_non_root_and_locked(descriptor: Any) -> None:
    text = (ROOT / "services" / descriptor.name / "Dockerfile").read_text()
    # The base is a build argument: a registry's python:3.11-slim unless told otherwise; no
    # "# syntax=" line or COPY --from=<registry image>, so a machine without a registry builds.
    assert re.search(r"^ARG BASE_IMAGE=python:3.11-slim$", text, re.MULTILINE)
    # The image's own command starts uvicorn as `canlian up` does: without its banner.
    (command,) = re.findall(r"^CMD (\[.*\])$", text, re.MULTILINE)
    assert set(UVICORN_FLAGS) <= set(json.loads(command))
    assert re.findall(r"^FROM (\S+)", text, re.MULTILINE) == ["${BASE_IMAGE}", "${BASE_IMAGE}"]
    assert "# syntax=" not in text
    assert not re.search(r"COPY --from=\S*[/:]", text)
    assert re.search(r"^USER 10001$", text, re.MULTILINE)
    assert "uv sync --frozen --no-dev" in text
    assert f"--package canlian-{descriptor.name}" in text
    assert f"{descriptor.package}.app:create_app" in text
