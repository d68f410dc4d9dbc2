"""Home visits (入户访视) by committee members, offline batches, and visits due and overdue."""
