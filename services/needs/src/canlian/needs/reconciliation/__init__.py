"""Snapshots shaped as the events, for the metrics reconciliation (nothing personal)."""
