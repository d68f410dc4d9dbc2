#!/bin/bash
# Healthy once the broker has logged that it started and its client port accepts connections
# (no JVM per check: a JVM every few seconds costs more CPU than the broker at rest).
grep -q "Kafka Server started" /tmp/kafka-server.log 2>/dev/null && exec 3<>/dev/tcp/127.0.0.1/9092
