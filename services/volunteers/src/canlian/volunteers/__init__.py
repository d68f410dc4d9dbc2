"""Canlian 助残志愿者 / Volunteers.

Volunteer registration, matching, service records and recognition.
"""
