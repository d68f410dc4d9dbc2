"""Verification of a card for other portals."""
