"""Indicator answers kept per process, valid while the read model's version stays."""
