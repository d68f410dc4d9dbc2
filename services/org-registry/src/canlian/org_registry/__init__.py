"""Canlian 组织机构 / Organisation registry.

Registry of divisions, federations, associations, leadership and terms.
"""
