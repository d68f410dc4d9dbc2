"""Federations, associations, groups, special and enterprise associations: where they sit, what
they cover, their standardisation record, their versions and audit trail."""
