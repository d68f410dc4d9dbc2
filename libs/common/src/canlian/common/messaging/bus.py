"""Pick the transport from the settings: Kafka when configured, else the embedded log."""

from __future__ import annotations

from collections.abc import Sequence

from canlian.common.messaging.embedded_log import (
    EmbeddedLogPublisher,
    EmbeddedLogReader,
    EmbeddedLogSubscriber,
)
from canlian.common.messaging.kafka import KafkaLogReader, KafkaPublisher, KafkaSubscriber
from canlian.common.messaging.transport import LogReader, Publisher, Subscriber
from canlian.common.settings import PlatformSettings


def make_publisher(settings: PlatformSettings, client_id: str) -> Publisher:
    if settings.kafka_bootstrap_servers:
        return KafkaPublisher(settings.kafka_bootstrap_servers, client_id)
    return EmbeddedLogPublisher(settings.event_log_path)


def make_subscriber(settings: PlatformSettings, group_id: str, topics: Sequence[str]) -> Subscriber:
    if settings.kafka_bootstrap_servers:
        return KafkaSubscriber(settings.kafka_bootstrap_servers, group_id, topics)
    return EmbeddedLogSubscriber(settings.event_log_path, group_id, topics)


def make_log_reader(settings: PlatformSettings, topics: Sequence[str]) -> LogReader:
    if settings.kafka_bootstrap_servers:
        return KafkaLogReader(settings.kafka_bootstrap_servers, topics)
    return EmbeddedLogReader(settings.event_log_path, topics)
