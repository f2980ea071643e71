"""Maintenance mode: the technician's door (a hidden knock and a PIN or card) and screens."""
