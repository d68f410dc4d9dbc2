"""The event catalogue: one JSON Schema per event type and version, and an AsyncAPI 3.0
document of the topics, generated from `canlian.common.events`, committed under
`docs/events/` and served by every service under `/events/`."""
