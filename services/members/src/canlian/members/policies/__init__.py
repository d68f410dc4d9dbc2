"""Regional values of the parameters members owns: committee-member and liaison seats."""
