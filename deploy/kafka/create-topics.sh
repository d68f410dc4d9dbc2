#!/usr/bin/env bash
# Without the Strimzi operator: create the domain topics with Kafka's own tool.
# Usage: deploy/kafka/create-topics.sh broker:9092
set -euo pipefail
bootstrap=${1:?usage: create-topics.sh host:port}
while read -r topic partitions; do
    kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
        --topic "$topic" --partitions "$partitions" --replication-factor 3 \
        --config retention.ms=-1 --config min.insync.replicas=2
done <<'TOPICS'
canlian.org-registry 6
canlian.members 6
canlian.cards 12
canlian.volunteers 12
canlian.metrics 3
canlian.needs 6
TOPICS
