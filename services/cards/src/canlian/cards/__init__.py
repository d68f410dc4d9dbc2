"""Canlian 残疾人证 / Disability cards.

Disability cards from application to cancellation, and verification for other portals.
"""
