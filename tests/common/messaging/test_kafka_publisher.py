"""The Kafka publisher recovers from a producer whose idempotence state the broker rejects."""

import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import OutOfOrderSequenceNumber

from canlian.common.messaging.kafka import KafkaPublisher, ensure_topics
from canlian.common.messaging.transport import OutgoingMessage

pytestmark = [pytest.mark.kafka]


async def _values(bootstrap: str, topic: str, expected: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    try:
        values: list[bytes] = []
        for _ in range(20):
            batch = await consumer.getmany(timeout_ms=500)
            values.extend(m.value or b"" for records in batch.values() for m in records)
            if len(values) >= expected:
                break
        return values
    finally:
        await consumer.stop()


async def test_a_rejected_batch_goes_out_again_through_a_fresh_producer(
    kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = f"canlian.test.publisher.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic], 1)
    publisher = KafkaPublisher(kafka_bootstrap, "publisher-test")
    await publisher.start()
    try:
        await publisher.publish([OutgoingMessage(topic=topic, key="k", value=b"first")])
        broken = publisher._started()

        async def rejected(*args: object, **kwargs: object) -> None:
            raise OutOfOrderSequenceNumber()

        # What a broker restart left behind: every send of this producer is refused.
        monkeypatch.setattr(broken, "send", rejected)
        with pytest.raises(OutOfOrderSequenceNumber):
            await publisher.publish([OutgoingMessage(topic=topic, key="k", value=b"second")])

        await publisher.publish([OutgoingMessage(topic=topic, key="k", value=b"second")])
        assert publisher._started() is not broken
        await publisher.ping()
    finally:
        await publisher.stop()
    assert await _values(kafka_bootstrap, topic, 2) == [b"first", b"second"]
