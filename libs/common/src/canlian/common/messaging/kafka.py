"""Apache Kafka adapter over aiokafka: idempotent producer, manual offset commits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from canlian.common.messaging.transport import IncomingMessage, OutgoingMessage


async def ensure_topics(bootstrap_servers: str, topics: Sequence[str], partitions: int) -> None:
    """Create missing topics (production creates them from deploy/, this is for dev and tests)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name=topic, num_partitions=partitions, replication_factor=1)
            for topic in topics
            if topic not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


class KafkaPublisher:
    def __init__(self, bootstrap_servers: str, client_id: str) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._client_id = client_id
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        # A fresh client each time: a stopped aiokafka client cannot be started again, and
        # the runtime retries start() until the broker answers.
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self._bootstrap_servers,
            client_id=self._client_id,
            enable_idempotence=True,
            acks="all",
            linger_ms=2,
            request_timeout_ms=15_000,
        )
        await self._producer.start()

    async def stop(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()

    def _started(self) -> AIOKafkaProducer:
        if self._producer is None:
            raise ConnectionError("Kafka producer not started")
        return self._producer

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        if self._producer is None:
            await self.start()
        producer = self._started()
        try:
            futures = [
                await producer.send(
                    message.topic,
                    message.value,
                    key=message.key.encode(),
                    headers=list(message.headers) or None,
                )
                for message in messages
            ]
            await asyncio.gather(*futures)
        except Exception:
            # After a failed batch the idempotent producer's sequence numbers no longer match
            # the broker's (OutOfOrderSequenceNumber forever after a broker restart): the next
            # batch goes through a fresh producer id. Redelivered rows are deduplicated by the
            # consumers' inbox.
            await self._discard()
            raise

    async def _discard(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await producer.stop()

    async def ping(self) -> None:
        if self._producer is None:
            await self.start()
        await self._started().client.fetch_all_metadata()


async def _poll_buffered(
    consumer: AIOKafkaConsumer,
    max_records: int,
    timeout_seconds: float,
    partitions: Sequence[TopicPartition] = (),
) -> list[IncomingMessage]:
    batches = await consumer.getmany(
        *partitions, timeout_ms=int(timeout_seconds * 1000), max_records=max_records
    )
    records = [record for partition in batches.values() for record in partition]
    # getmany hands over what one fetch brought (often a partition's worth, ~100 events);
    # take what else is already buffered, so that a backlog is applied in large batches.
    while records and len(records) < max_records:
        more = await consumer.getmany(
            *partitions, timeout_ms=0, max_records=max_records - len(records)
        )
        if not more:
            break
        records.extend(record for partition in more.values() for record in partition)
    return [
        IncomingMessage(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key.decode() if record.key else None,
            value=record.value,
        )
        for record in records
    ]


async def topic_partitions(bootstrap_servers: str, topics: Sequence[str]) -> list[TopicPartition]:
    """Every partition of the topics that exist."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [topic for topic in topics if topic in existing]
        described = await admin.describe_topics(wanted) if wanted else []
    finally:
        await admin.close()
    return [
        TopicPartition(topic["topic"], partition["partition"])
        for topic in described
        for partition in sorted(topic["partitions"], key=lambda p: int(p["partition"]))
    ]


class KafkaLogReader:
    def __init__(self, bootstrap_servers: str, topics: Sequence[str]) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._topics = list(topics)
        self.total = 0

    async def batches(self, max_records: int) -> AsyncIterator[list[IncomingMessage]]:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            max_poll_records=max_records,
            fetch_max_wait_ms=100,
        )
        partitions = await topic_partitions(self._bootstrap_servers, self._topics)
        await consumer.start()
        try:
            if not partitions:
                return
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            firsts = await consumer.beginning_offsets(partitions)
            ends = await consumer.end_offsets(partitions)
            self.total = sum(ends[p] - firsts[p] for p in partitions)
            reading = [p for p in partitions if ends[p] > firsts[p]]
            while reading:
                messages = await _poll_buffered(consumer, max_records, 1.0, reading)
                batch = [
                    m for m in messages if m.offset < ends[TopicPartition(m.topic, m.partition)]
                ]
                reading = [p for p in reading if await consumer.position(p) < ends[p]]
                if batch:
                    yield batch
        finally:
            await consumer.stop()


class KafkaSubscriber:
    def __init__(self, bootstrap_servers: str, group_id: str, topics: Sequence[str]) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._group_id = group_id
        self._topics = list(topics)
        self._consumer_or_none: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        # A fresh client each time, as for the publisher.
        self._consumer_or_none = AIOKafkaConsumer(
            *self._topics,
            bootstrap_servers=self._bootstrap_servers,
            group_id=self._group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=2000,
            fetch_max_wait_ms=100,
        )
        await self._consumer_or_none.start()

    async def stop(self) -> None:
        if self._consumer_or_none is not None:
            consumer, self._consumer_or_none = self._consumer_or_none, None
            await consumer.stop()

    @property
    def _consumer(self) -> AIOKafkaConsumer:
        if self._consumer_or_none is None:
            raise ConnectionError("Kafka consumer not started")
        return self._consumer_or_none

    async def poll(self, max_records: int, timeout_seconds: float) -> list[IncomingMessage]:
        return await _poll_buffered(self._consumer, max_records, timeout_seconds)

    async def commit(self, messages: Sequence[IncomingMessage]) -> None:
        offsets: dict[TopicPartition, int] = {}
        for message in messages:
            partition = TopicPartition(message.topic, message.partition)
            offsets[partition] = max(offsets.get(partition, 0), message.offset + 1)
        if offsets:
            await self._consumer.commit(offsets)

    async def resume_from_committed(self) -> None:
        consumer = self._consumer
        for partition in consumer.assignment():
            committed = await consumer.committed(partition)
            if committed is None:
                await consumer.seek_to_beginning(partition)
            else:
                consumer.seek(partition, committed)

    async def lag(self) -> int:
        total = 0
        partitions = self._consumer.assignment()
        if not partitions:
            return 0
        ends = await self._consumer.end_offsets(list(partitions))
        for partition in partitions:
            position = await self._consumer.position(partition)
            total += max(ends.get(partition, 0) - position, 0)
        return total
