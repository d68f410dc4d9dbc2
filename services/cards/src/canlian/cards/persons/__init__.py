"""Persons: applicants and holders, registered once per citizen ID."""
