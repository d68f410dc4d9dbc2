"""Moving events: the outbox and its relay, the consumer runner, and two transports
(Apache Kafka, and the embedded log) behind one interface."""
