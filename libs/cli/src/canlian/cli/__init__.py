"""The `canlian` command."""
