"""The presidium's review of a federation's yearly budget report, an act of the term."""
