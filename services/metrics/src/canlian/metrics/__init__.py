"""Canlian 规划指标 / Plan indicators: Plan indicators rolled up live from village to nation."""
