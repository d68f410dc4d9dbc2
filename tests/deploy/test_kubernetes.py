"""The Kubernetes manifests hang together: every service has its Deployment, Service,
autoscaler and migration Job, images and commands point at what exists, and the metrics
workers never outnumber the partitions they share."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.runtime import DOMAIN_TOPICS
from canlian.common.web_security import UVICORN_FLAGS

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
KAFKA = Path(__file__).resolve().parents[2] / "deploy" / "kafka"


def _documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _topics() -> dict[str, int]:
    return {
        doc["spec"]["topicName"]: doc["spec"]["partitions"]
        for doc in _documents(KAFKA / "topics.yaml")
    }


def test_kustomization_lists_every_file() -> None:
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    for descriptor in installed_services():
        assert f"{descriptor.name}.yaml" in listed
    for resource in listed:
        assert (K8S / resource).is_file()


def test_every_domain_topic_is_declared_the_same_way_twice() -> None:
    assert set(_topics()) == set(DOMAIN_TOPICS)
    script = (KAFKA / "create-topics.sh").read_text()
    for topic, partitions in _topics().items():
        assert re.search(rf"^{re.escape(topic)} {partitions}$", script, re.MULTILINE)


@pytest.mark.parametrize("descriptor", installed_services(), ids=lambda d: d.name)
def test_service_manifests(descriptor: ServiceDescriptor) -> None:
    documents = _documents(K8S / f"{descriptor.name}.yaml")
    kinds: dict[str, list[dict[str, Any]]] = {}
    for document in documents:
        kinds.setdefault(document["kind"], []).append(document)
    deployments = {d["metadata"]["name"]: d for d in kinds["Deployment"]}
    for autoscaler in kinds["HorizontalPodAutoscaler"]:
        assert autoscaler["spec"]["scaleTargetRef"]["name"] in deployments
    (service,) = kinds["Service"]
    selected = service["spec"]["selector"]["app.kubernetes.io/component"]
    assert selected in deployments
    assert service["spec"]["ports"][0]["port"] == descriptor.default_port
    for deployment in deployments.values():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        (container,) = pod["containers"]
        assert container["image"].startswith(f"canlian/{descriptor.name}:")
        assert f"{descriptor.package}.app:create_app" in container["command"]
        # What `canlian up` and the test harness pass: no uvicorn banner in the cluster.
        for flag in UVICORN_FLAGS:
            assert flag in container["command"]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    (job,) = kinds["Job"]
    command = job["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command == ["python", "-m", "canlian.common.migrate", descriptor.name]


def test_metrics_workers_fit_the_partitions_and_api_replicas_do_not_consume() -> None:
    documents = _documents(K8S / "metrics.yaml")
    autoscalers = {
        d["spec"]["scaleTargetRef"]["name"]: d
        for d in documents
        if d["kind"] == "HorizontalPodAutoscaler"
    }
    assert autoscalers["metrics-worker"]["spec"]["maxReplicas"] <= max(_topics().values())

    def workers_flag(name: str) -> str:
        deployment = next(
            d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"] == name
        )
        env = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        return str(next(item["value"] for item in env if item["name"] == "CANLIAN_RUN_WORKERS"))

    assert workers_flag("metrics-api") == "false"
    assert workers_flag("metrics-worker") == "true"


def _go() -> str | None:
    return shutil.which("go") or next(
        (str(p) for p in [Path("/usr/local/go/bin/go")] if p.is_file()), None
    )


@pytest.mark.skipif(_go() is None, reason="Go is needed (deploy/k8s-check)")
def test_manifests_decode_strictly_into_the_kubernetes_types_and_match_compose() -> None:
    """deploy/k8s-check decodes every manifest into k8s.io/api types (unknown fields fail) and
    checks each Deployment and Job against the compose service: image, command, ports,
    probes, env."""
    compose = yaml.safe_load((K8S.parent.parent / "docker-compose.yml").read_text())
    result = _k8s_check(compose)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: "), result.stdout


def test_the_go_check_catches_a_mistake() -> None:
    if _go() is None:
        pytest.skip("Go is needed (deploy/k8s-check)")
    compose = yaml.safe_load((K8S.parent.parent / "docker-compose.yml").read_text())
    compose["services"]["cards"]["ports"] = ["127.0.0.1:8003:8013"]
    compose["services"]["members"]["environment"] = {
        **compose["services"]["members"]["environment"],
        "CANLIAN_ENVIRONMENT": "development",
        "NEW_SETTING": "x",
    }
    compose["services"]["volunteers"]["command"] = [
        word for word in compose["services"]["volunteers"]["command"] if word not in UVICORN_FLAGS
    ]
    result = _k8s_check(compose)
    assert result.returncode == 1
    problems = result.stdout
    assert "compose service volunteers: uvicorn runs without --no-server-header" in problems
    assert "Deployment cards: containerPort 8003, compose publishes 8013" in problems
    assert "Deployment members: compose sets NEW_SETTING, the cluster does not" in problems
    assert (
        'CANLIAN_ENVIRONMENT is "production" in the cluster, "development" in compose' in problems
    )


def _k8s_check(compose: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    go = _go()
    assert go is not None
    return subprocess.run(
        [go, "run", ".", str(K8S)],
        cwd=K8S.parent / "k8s-check",
        input=json.dumps(compose),
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "GOFLAGS": "-mod=readonly"},
        check=False,
    )
