"""Evaluations on record: a plan's mid-term or final evaluation of a region, built from its
accepted figures, drafted by the region and approved by the level above."""
