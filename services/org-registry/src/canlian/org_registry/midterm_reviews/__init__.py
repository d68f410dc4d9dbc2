"""The mid-term review (届中考评) of a federation's leadership by the level above."""
