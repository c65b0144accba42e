"""Seat maps, per-performance inventory and holds: a seat is sold once, ever."""
