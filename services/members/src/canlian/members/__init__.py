"""Canlian 专职委员 / Committee members.

Real-name archive of full-time committee members and disability workers.
"""
