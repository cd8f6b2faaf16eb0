"""The other tasks of ``sentence_vectors(matrix, sentences, pad_id=0)``: one vector per sentence of a padded
batch, its words combined another way, the padding left out in each (checks/exercises/sentence_vectors.py
is the course's own, ``mean``)."""
