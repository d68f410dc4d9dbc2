"""The composition rules a leadership must meet (seeds 000-003)."""
