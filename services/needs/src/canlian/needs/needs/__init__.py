"""Needs from every channel (visit, 12385 hotline, petition, walk-in, volunteer), merged per
household; assessment, referral with due dates, closing with outcome and satisfaction."""
