"""Transfers (迁移) of a card to another county: the county managing the card asks, the
receiving county accepts (the card moves) or rejects with a reason, the sender may withdraw
while the request is open."""
