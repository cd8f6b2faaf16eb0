"""Tables of answers of the other variants of ``uniform_with_std``."""
