"""Tables of answers of the other variants of ``sentence_vectors``."""
