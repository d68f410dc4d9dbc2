"""The regional values of the needs service's policy parameters (how often each
special-difficulty flag is visited, the petition deadlines): a region sets a value from a
date; the nearest ancestor's value in force applies, else the seed default."""
