"""Recorded establishments, renames, merges and splits of divisions, and what they do to the
associations covering a village."""
