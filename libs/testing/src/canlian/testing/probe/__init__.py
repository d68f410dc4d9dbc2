"""A minimal service used to test the shared kit end to end: a table, an event, routes that
exercise idempotency, pagination, scopes and errors. Not deployed anywhere."""
