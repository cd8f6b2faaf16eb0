"""Tables of answers of the other variants of ``count_words``."""
