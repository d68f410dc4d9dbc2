"""Organisations as the registry announced them: the read model fed only by its events."""
