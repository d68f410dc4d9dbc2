"""Terms, the bodies elected for them and their members; compliance follows the current term."""
