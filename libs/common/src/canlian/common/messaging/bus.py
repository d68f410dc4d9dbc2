"""Pick the transport from the settings: Kafka when configured, else the embedded log."""

from __future__ import annotations

from collections.abc import Sequence

from canlian.common.messaging.embedded_log import EmbeddedLogPublisher, EmbeddedLogSubscriber
from canlian.common.messaging.kafka import KafkaPublisher, KafkaSubscriber
from canlian.common.messaging.transport import Publisher, Subscriber
from canlian.common.settings import PlatformSettings


def make_publisher(settings: PlatformSettings, client_id: str) -> Publisher:
    if settings.kafka_bootstrap_servers:
        return KafkaPublisher(settings.kafka_bootstrap_servers, client_id)
    return EmbeddedLogPublisher(settings.event_log_path)


def make_subscriber(settings: PlatformSettings, group_id: str, topics: Sequence[str]) -> Subscriber:
    if settings.kafka_bootstrap_servers:
        return KafkaSubscriber(settings.kafka_bootstrap_servers, group_id, topics)
    return EmbeddedLogSubscriber(settings.event_log_path, group_id, topics)
