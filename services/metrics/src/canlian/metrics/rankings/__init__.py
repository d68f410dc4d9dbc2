"""Drill-down rankings kept ahead of time: every region's gap per plan and indicator."""
