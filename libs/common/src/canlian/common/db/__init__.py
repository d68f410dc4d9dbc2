"""Async database access: one schema per service on PostgreSQL, one SQLite file when embedded."""
