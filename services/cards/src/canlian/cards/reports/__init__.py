"""The questions officials ask: backlog, expiring cards, second generation, holders."""
