"""An act of a federation's term (the presidium's budget review, the mid-term review): recorded,
corrected by a later version with a reason or withdrawn with a reason, every version kept."""
