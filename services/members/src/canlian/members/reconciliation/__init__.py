"""Current snapshots shaped exactly as the events, so that the metrics service can recompute its
rollups from this service's data. Nothing personal is in them."""
