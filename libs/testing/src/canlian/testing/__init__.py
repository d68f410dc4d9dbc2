"""Test harness: real PostgreSQL and Apache Kafka servers, started when the environment
names none, and fixtures for services on them."""
