"""The other tasks of ``nearest_neighbours(matrix, word_id, k)``: a word's k nearest words by another
measure, the word itself left out (checks/exercises/nearest_neighbours.py is the course's own, ``cosine``).
The course's matrices keep every measure's values apart, so that no measure's order has ties."""
