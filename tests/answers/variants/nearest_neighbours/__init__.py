"""Tables of answers of the other variants of ``nearest_neighbours``."""
