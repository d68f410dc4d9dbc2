"""Submission and approval of a period's figures, level by level."""
