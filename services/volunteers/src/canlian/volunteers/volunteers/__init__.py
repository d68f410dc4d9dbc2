"""The register of volunteers (志愿者名册): the volunteer's row, look-ups and scope checks,
the snapshot every volunteer event carries, and officials' reads of the register."""
