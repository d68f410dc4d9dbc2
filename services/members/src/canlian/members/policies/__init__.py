"""Regional values of the parameters members owns (committee-member and liaison seats), and
the registry's values it reads (whether development zones count as places), kept from events."""
