"""The questions officials ask of their region: coverage, tree, elections due, failing items."""
