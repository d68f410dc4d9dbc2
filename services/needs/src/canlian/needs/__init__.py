"""Canlian 服务需求与转介 / Service needs and referral.

Household files (一户一档), home visits, needs from every channel, their assessment and
referral, service platforms, and the household's satisfaction.
"""
