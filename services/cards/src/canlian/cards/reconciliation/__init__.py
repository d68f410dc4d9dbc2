"""Snapshots of cards and applications, shaped as the events, for reconciliation."""
