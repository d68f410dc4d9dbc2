"""Regional values of the parameters the registry owns: special associations' funds minimums."""
