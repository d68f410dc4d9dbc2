"""A consumer in another language: the Java program in tools/event-consumer-java reads every
platform topic from a real broker with the CloudEvents Kafka SDK and validates each event's
data against the published schema, using nothing from the Python code. One event of every
type goes through the outbox relay first."""

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from canlian.common.catalogue.documents import event_schema, platform_events
from canlian.common.messaging.kafka import ensure_topics
from canlian.common.settings import PlatformSettings
from canlian.common.tracing import bind_traceparent, child_of, reset_traceparent
from canlian.testing.events import one_of_each, sample_data
from canlian.testing.kafka import KafkaServer, cache_root
from canlian.testing.probe.app import create_app, service_descriptor
from canlian.testing.services import rebuild_schema, runtime_of

pytestmark = [pytest.mark.kafka]

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "tools" / "event-consumer-java"
SCHEMAS = REPO / "docs" / "events" / "schemas"
MAIN = "cn.canlian.events.Main"


def _sources_checksum() -> str:
    digest = hashlib.sha256()
    for path in sorted([PROJECT / "pom.xml", *(PROJECT / "src").rglob("*")]):
        if path.is_file():
            digest.update(str(path.relative_to(PROJECT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_consumer() -> str:
    """The consumer's classpath, built with Maven once per version of its sources."""
    build = cache_root() / "event-consumer-java" / _sources_checksum()
    classes, dependencies = build / "classes", build / "dependency"
    if not (classes / "cn" / "canlian" / "events" / "Main.class").is_file():
        mvn = shutil.which("mvn")
        assert mvn is not None, "Maven is needed: scripts/install-test-servers.sh"
        command = [mvn, "-B", "-q", "-f", str(PROJECT / "pom.xml"), "package",
                   f"-Dconsumer.build.dir={build}"]  # fmt: skip
        # Offline when the local repository already has everything; else download once.
        done = subprocess.run([*command[:2], "-o", *command[2:]], capture_output=True, check=False)
        if done.returncode != 0:
            done = subprocess.run(command, capture_output=True, check=False, timeout=900)
        assert done.returncode == 0, done.stdout.decode()[-4000:]
    return f"{classes}{os.pathsep}{dependencies}{os.sep}*"


@pytest.fixture(scope="module")
def broker() -> Iterator[str]:
    """A broker of its own: every record on it must be one of ours and valid."""
    with KafkaServer() as server:
        yield server.bootstrap_servers


def _run_consumer(classpath: str, bootstrap: str) -> subprocess.CompletedProcess[str]:
    java = shutil.which("java")
    assert java is not None
    return subprocess.run(
        [java, "-cp", classpath, MAIN, "--bootstrap", bootstrap, "--schemas", str(SCHEMAS),
         "--require-all"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _summary(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    line = next(line for line in done.stdout.splitlines() if line.startswith("summary: "))
    return dict(json.loads(line.removeprefix("summary: ")))


async def test_the_java_consumer_validates_every_event_type(broker: str, tmp_path: Path) -> None:
    classpath = await asyncio.to_thread(build_consumer)
    settings = PlatformSettings(canlian_data_dir=tmp_path, kafka_bootstrap_servers=broker)
    await rebuild_schema(service_descriptor, settings)
    runtime = runtime_of(create_app(settings))
    events = one_of_each()
    await ensure_topics(broker, sorted({event.topic for event in events}), partitions=2)

    # Before anything is published a type-complete check must fail: the test can fail.
    empty = await asyncio.to_thread(_run_consumer, classpath, broker)
    assert empty.returncode == 2, empty.stdout + empty.stderr

    await runtime.publisher.start()
    try:
        token = bind_traceparent(child_of(None))
        try:
            async with runtime.database.session() as session:
                for event in events:
                    await runtime.outbox.add(session, event)
        finally:
            reset_traceparent(token)
        while await runtime.relay.publish_pending():
            pass
    finally:
        await runtime.publisher.stop()
        await runtime.database.dispose()

    done = await asyncio.to_thread(_run_consumer, classpath, broker)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = _summary(done)
    assert summary["undecodable"] == 0
    assert summary["missing"] == []
    assert set(summary["types"]) == {cls.event_type for cls in platform_events()}
    versions = {cls.event_type: 1 + len(cls.earlier_versions) for cls in platform_events()}
    for event_type, row in summary["types"].items():
        # Types with an earlier version still published send it beside the current one.
        assert row["valid"] == row["count"] == versions[event_type], event_type


async def test_the_java_consumer_rejects_data_that_breaks_the_schema(
    broker: str, tmp_path: Path
) -> None:
    """A record whose data misses a required field is reported invalid (exit 1)."""
    from aiokafka import AIOKafkaProducer

    classpath = await asyncio.to_thread(build_consumer)
    cls = platform_events()[0]
    schema = event_schema(cls)
    data = sample_data(schema, schema.get("$defs", {}))
    data.pop(schema["required"][0])
    envelope = {
        "specversion": "1.0", "id": "broken-1", "source": "/canlian/test", "type": cls.event_type,
        "subject": "s", "time": "2026-01-02T03:04:05Z", "datacontenttype": "application/json",
        "dataschema": cls.dataschema(), "partitionkey": "s", "data": data,
    }  # fmt: skip
    producer = AIOKafkaProducer(bootstrap_servers=broker)
    await producer.start()
    try:
        await producer.send_and_wait(
            cls.topic,
            json.dumps(envelope).encode(),
            key=b"s",
            headers=[("content-type", b"application/cloudevents+json; charset=utf-8")],
        )
    finally:
        await producer.stop()
    done = await asyncio.to_thread(_run_consumer, classpath, broker)
    assert done.returncode == 1, done.stdout + done.stderr
    assert _summary(done)["types"][cls.event_type]["invalid"] == 1
    assert "broken-1" in done.stdout
