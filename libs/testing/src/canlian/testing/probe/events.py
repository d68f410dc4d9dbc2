from __future__ import annotations

from typing import ClassVar

from canlian.common.events.base import DomainEvent

TOPIC = "canlian.test-probe"


class ProbeRecorded(DomainEvent):
    event_type: ClassVar[str] = "cn.canlian.test.probe.recorded"
    topic: ClassVar[str] = TOPIC
    subject_field: ClassVar[str] = "probe_id"

    probe_id: int
    region: str
    label: str
    version: int = 1
