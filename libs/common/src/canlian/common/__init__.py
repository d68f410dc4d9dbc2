"""Canlian shared kit: what every service needs; nothing domain-specific but the events."""
