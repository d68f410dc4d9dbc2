"""Committee members as the members service announces them: who holds a post, and the
villages and townships each post serves (read from its events through the inbox)."""
