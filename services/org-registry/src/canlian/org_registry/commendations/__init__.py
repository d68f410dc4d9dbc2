"""Commendations (表彰): programme rounds, nominations by a federation, approval by the level
above, and the honours they give."""
