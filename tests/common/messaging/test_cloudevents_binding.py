"""The CloudEvents Kafka protocol binding (structured mode), the partition key, W3C trace
context from the request to the consumer's log, and consumers that tolerate unknown fields
while producers stay strict."""

import asyncio
import json
import logging
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from pydantic import ValidationError
from sqlalchemy import MetaData, select

from canlian.common import auth
from canlian.common.db.metadata import platform_tables
from canlian.common.events.base import READING, CloudEvent
from canlian.common.events.org_registry import Standardisation
from canlian.common.messaging.consumer import ConsumerRunner
from canlian.common.messaging.outbox import STRUCTURED_CONTENT_TYPE, Outbox
from canlian.common.messaging.transport import OutgoingMessage
from canlian.common.settings import PlatformSettings
from canlian.common.tracing import bind_traceparent, child_of, parse, reset_traceparent
from canlian.testing.probe.app import create_app, tally_events
from canlian.testing.probe.events import TOPIC, ProbeRecorded
from canlian.testing.probe.models import Tally
from canlian.testing.services import api_client, bearer, runtime_of

from .conftest import Backbone


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_producers_refuse_unknown_fields_and_readers_drop_them() -> None:
    with pytest.raises(ValidationError):
        ProbeRecorded.model_validate({"probe_id": 1, "region": "62", "label": "x", "new": 1})
    with pytest.raises(ValidationError):
        Standardisation.model_validate({"has_sign": True, "has_lift": True})
    read = Standardisation.model_validate({"has_sign": True, "has_lift": True}, context=READING)
    assert read.has_sign is True
    envelope = CloudEvent.wrap(
        ProbeRecorded(probe_id=1, region="620102003004", label="x"), source="/t"
    )
    widened = envelope.model_copy(update={"data": {**envelope.data, "added_later": [1, 2]}})
    assert widened.payload() == ProbeRecorded(probe_id=1, region="620102003004", label="x")


@pytest.mark.parametrize("traceparent", [None, TRACEPARENT])
@pytest.mark.parametrize("partition_key", [None, "probe-7", "probe7", '区划 "7"\\'])
def test_the_outbox_writes_the_envelope_cloudevent_writes(
    traceparent: str | None, partition_key: str | None
) -> None:
    """The outbox writes envelopes straight to JSON: the same JSON as the envelope model's,
    attribute for attribute and in the same order, ids fresh for every event."""
    events = [
        ProbeRecorded(probe_id=n, region="620102003004", label=f'标签 "{n}"\n') for n in (7, 8)
    ]
    outbox = Outbox(platform_tables(MetaData()), '/canlian/"probe"', schema_base_url="https://e/")
    token = bind_traceparent(traceparent)
    try:
        rows = outbox.prepare(events, partition_key=partition_key).rows
    finally:
        reset_traceparent(token)
    for event, (event_id, topic, key, event_type, text, created_at) in zip(
        events, rows, strict=True
    ):
        written = json.loads(text)
        expected = json.loads(
            CloudEvent.wrap(
                event,
                source='/canlian/"probe"',
                partition_key=partition_key,
                traceparent=traceparent,
                schema_base_url="https://e/",
            ).to_json()
        )
        assert list(written) == list(expected)
        assert {k: v for k, v in written.items() if k not in ("id", "time")} == {
            k: v for k, v in expected.items() if k not in ("id", "time")
        }
        envelope = CloudEvent.model_validate_json(text)
        assert (envelope.id, envelope.time) == (event_id, created_at)
        assert uuid.UUID(event_id).version == 4
        assert envelope.payload() == event
        assert (topic, key, event_type) == (
            TOPIC,
            partition_key or str(event.probe_id),
            event.event_type,
        )
    assert rows[0][0] != rows[1][0]


def test_the_envelope_carries_partitionkey_traceparent_and_a_schema_url() -> None:
    event = ProbeRecorded(probe_id=7, region="620102003004", label="x")
    envelope = CloudEvent.wrap(
        event, source="/t", traceparent=TRACEPARENT, schema_base_url="https://ev.example/"
    )
    value = json.loads(envelope.to_json())
    assert value["partitionkey"] == "7"
    assert value["traceparent"] == TRACEPARENT
    assert value["dataschema"] == (
        "https://ev.example/events/schemas/cn.canlian.test.probe.recorded/v1.json"
    )
    bare = json.loads(CloudEvent.wrap(event, source="/t").to_json())
    assert "traceparent" not in bare  # absent, not null: CloudEvents has no null attributes
    assert bare["dataschema"] == "/events/schemas/cn.canlian.test.probe.recorded/v1.json"
    # Envelopes written before the extensions existed still read.
    old = {k: v for k, v in value.items() if k not in {"partitionkey", "traceparent"}}
    assert CloudEvent.model_validate(old).partitionkey is None


def test_a_child_span_keeps_the_callers_trace() -> None:
    child = child_of(TRACEPARENT)
    assert parse(child) is not None
    assert child.split("-")[1] == TRACEPARENT.split("-")[1]
    assert child.split("-")[2] != TRACEPARENT.split("-")[2]
    assert parse("00-" + "0" * 32 + "-00f067aa0ba902b7-01") is None
    assert child_of("garbage").split("-")[1] != TRACEPARENT.split("-")[1]


async def test_the_request_traceparent_is_stored_with_the_event(tmp_path: Path) -> None:
    settings = PlatformSettings(canlian_data_dir=tmp_path, canlian_environment="development")
    app = create_app(settings)
    async with app.router.lifespan_context(app), api_client(app) as client:
        token = bearer(settings, roles=[auth.OFFICIAL], region="620000000000")
        response = await client.post(
            "/v1/probes",
            json={"region": "620102003004", "label": "traced"},
            headers={**token, "traceparent": TRACEPARENT},
        )
        assert response.status_code == 201, response.text
        runtime = runtime_of(app)
        async with runtime.database.read_session() as session:
            stored = await session.scalar(select(runtime.tables.outbox.c.envelope))
    assert stored is not None
    traceparent = CloudEvent.model_validate_json(stored).traceparent
    assert traceparent is not None
    assert traceparent.split("-")[1] == TRACEPARENT.split("-")[1]  # the caller's trace


@pytest.mark.postgres
@pytest.mark.kafka
async def test_an_event_with_an_extra_field_is_applied_not_parked(backbone: Backbone) -> None:
    runtime = backbone.runtime
    label = f"extra-{uuid.uuid4()}"
    envelope = CloudEvent.wrap(
        ProbeRecorded(probe_id=5, region="620102003004", label=label), source="/t"
    )
    widened = envelope.model_copy(update={"data": {**envelope.data, "colour": "blue"}})
    await runtime.publisher.publish(
        [OutgoingMessage(topic=TOPIC, key="5", value=widened.to_json().encode())]
    )
    group = f"g-{uuid.uuid4()}"
    subscriber = backbone.subscriber(group)
    await subscriber.start()
    runner = ConsumerRunner(group, runtime.database, runtime.tables, subscriber, tally_events)
    try:
        deadline = asyncio.get_running_loop().time() + 60
        tally = None
        while tally is None and asyncio.get_running_loop().time() < deadline:
            await runner.process_once()
            async with runtime.database.read_session() as session:
                tally = await session.get(Tally, label)
    finally:
        await subscriber.stop()
    assert tally is not None, "the event was not applied"
    async with runtime.database.read_session() as session:
        status = await session.scalar(
            select(runtime.tables.inbox.c.status).where(
                runtime.tables.inbox.c.event_id == envelope.id
            )
        )
    assert status != "failed"


@pytest.mark.postgres
@pytest.mark.kafka
async def test_the_relay_writes_structured_cloudevents_keyed_by_partitionkey(
    kafka_bootstrap: str, postgres_settings: PlatformSettings
) -> None:
    from canlian.common.messaging.bus import make_subscriber
    from canlian.testing.probe.app import service_descriptor
    from canlian.testing.services import rebuild_schema

    settings = postgres_settings.model_copy(update={"kafka_bootstrap_servers": kafka_bootstrap})
    await rebuild_schema(service_descriptor, settings)
    runtime = runtime_of(create_app(settings))
    await runtime.publisher.start()
    label = f"bound-{uuid.uuid4()}"
    try:
        token = bind_traceparent(TRACEPARENT)
        try:
            async with runtime.database.session() as session:
                envelope = await runtime.outbox.add(
                    session, ProbeRecorded(probe_id=4242, region="620102003004", label=label)
                )
        finally:
            reset_traceparent(token)
        while await runtime.relay.publish_pending():
            pass
        consumer = AIOKafkaConsumer(
            TOPIC,
            bootstrap_servers=kafka_bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
        )
        await consumer.start()
        try:
            record = None
            deadline = asyncio.get_running_loop().time() + 60
            while record is None and asyncio.get_running_loop().time() < deadline:
                batches = await consumer.getmany(timeout_ms=500)
                for records in batches.values():
                    for candidate in records:
                        if json.loads(candidate.value)["id"] == envelope.id:
                            record = candidate
        finally:
            await consumer.stop()
        assert record is not None
        headers = dict(record.headers)
        assert headers["content-type"].decode() == STRUCTURED_CONTENT_TYPE
        value = json.loads(record.value)
        assert record.key == b"4242" == value["partitionkey"].encode()
        assert value["traceparent"] == TRACEPARENT
        assert value["specversion"] == "1.0"

        # The consumer's log line for the event names the trace of the request behind it.
        group = f"g-{uuid.uuid4()}"
        subscriber = make_subscriber(settings, group, [TOPIC])
        await subscriber.start()
        runner = ConsumerRunner(group, runtime.database, runtime.tables, subscriber, tally_events)
        seen = _Records()
        consumer_log = logging.getLogger("canlian.consumer")
        consumer_log.addHandler(seen)
        try:
            deadline = asyncio.get_running_loop().time() + 60
            while asyncio.get_running_loop().time() < deadline and not any(
                getattr(r, "event_id", None) == envelope.id for r in seen.records
            ):
                await runner.process_once()
        finally:
            consumer_log.removeHandler(seen)
            await subscriber.stop()
        logged = [r for r in seen.records if getattr(r, "event_id", None) == envelope.id]
        assert logged
        assert logged[0].__dict__["traceparent"] == TRACEPARENT
    finally:
        await runtime.publisher.stop()
        await runtime.database.dispose()
