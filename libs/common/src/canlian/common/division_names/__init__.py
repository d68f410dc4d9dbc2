"""Division names in the services that know divisions by code only (cards, members, needs):
a copy of the registry's names, kept from its `DivisionChanged` events and loaded once from
its dataset, so that a message a person reads names a division beside its code."""
