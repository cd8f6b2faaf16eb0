"""The other tasks of ``count_words(counter, word_ids)``: the same counter, changed in place batch after
batch, counting something else (checks/exercises/count_words.py is the course's own, ``occurrences``)."""
