"""Household files (一户一档): the address, the members and their relation, each disabled
member's link to the cards service's person, service status per member, special-difficulty
flags and the visit schedule they set."""
